"""Generated stores of many targets, for benchmarks only.

Names are drawn from common name parts of several languages (Han names with
their characters); every target gets one action and one source, so answers
cost what they cost in production. Rows are written in bulk through the same
index functions ingest uses. Name parts that occur in the labelled query set
are left out, so a labelled query keeps one right answer in any store.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import bindparam, func, insert, select, update

from benchmarks.name_accuracy import load_labelled
from storage.db.models import (
    Action,
    ActionSource,
    Article,
    Authority,
    NameToken,
    NameTokenKey,
    Target,
    TargetName,
    TargetToken,
)
from storage.db.store import Store
from storage.names.folding import merge_key, name_tokens
from storage.names.index import index_tokens, key_rows, vocabulary_rows

ENGLISH_GIVEN = """James John Robert Michael William David Richard Joseph Charles Christopher Daniel Matthew
Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey
Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Margaret Sandra
Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah Stephanie Rebecca Laura""".split()
ENGLISH_FAMILY = """Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Moore Jackson Martin
Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Green Baker Adams Nelson Hill
Campbell Mitchell Roberts Carter Phillips Evans Turner Parker Collins Edwards Stewart Morris Murphy Cook Rogers
Morgan Peterson Cooper Reed Bailey Bell Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray Hughes""".split()
RUSSIAN_GIVEN = """Dmitry Mikhail Nikolai Ivan Pavel Yuri Boris Anatoly Konstantin Roman Maxim Artem
Denis Evgeny Kirill Stanislav Vadim Grigory Leonid Arkady Timur Ruslan Gennady Vyacheslav Fyodor Oleg Anton
Vitaly Yaroslav Svetlana Olga Tatiana Natalia Irina Elena Anna Marina Ekaterina Yulia Ludmila Galina""".split()
RUSSIAN_FAMILY = """Ivanov Smirnov Kuznetsov Popov Vasiliev Petrov Sokolov Mikhailov Novikov Fedorov Morozov
Volkov Alekseev Lebedev Semenov Egorov Pavlov Stepanov Nikolaev Orlov Andreev Makarov Nikitin Zakharov
Zaitsev Solovyov Borisov Yakovlev Grigoriev Romanov Vorobyov Sergeev Frolov Alexandrov Dmitriev Korolev
Gusev Kiselev Ilyin Maksimov Polyakov Sorokin Vinogradov Kovalev Belov Medvedev Antonov Tarasov Zhukov
Baranov Filippov Komarov Davydov Belyaev Gerasimenko Bogdanov Osipov Sidorov Matveev Titov Markov""".split()
HAN_FAMILY = """王Wang 李Li 张Zhang 刘Liu 杨Yang 黄Huang 赵Zhao 吴Wu 周Zhou 徐Xu 孙Sun 马Ma 胡Hu 郭Guo
何He 高Gao 林Lin 罗Luo 郑Zheng 梁Liang 谢Xie 宋Song 唐Tang 许Xu 韩Han 冯Feng 邓Deng 曹Cao 彭Peng 曾Zeng
肖Xiao 田Tian 董Dong 袁Yuan 潘Pan 于Yu 蒋Jiang 蔡Cai 余Yu 杜Du 叶Ye 程Cheng 苏Su 魏Wei 吕Lu 丁Ding 任Ren
沈Shen 姚Yao 卢Lu 姜Jiang 崔Cui 钟Zhong 谭Tan 陆Lu 汪Wang 范Fan 金Jin 石Shi 廖Liao 贾Jia 夏Xia 韦Wei""".split()
HAN_GIVEN = """伟wei 芳fang 娜na 敏min 静jing 丽li 强qiang 磊lei 洋yang 艳yan 勇yong 杰jie 娟juan 涛tao
超chao 秀xiu 霞xia 平ping 刚gang 桂gui 英ying 华hua 文wen 辉hui 鹏peng 飞fei 宇yu 斌bin 波bo 宁ning 亮liang
建jian 林lin 峰feng 雪xue 晨chen 东dong 志zhi 春chun 红hong 新xin 光guang 永yong 海hai 德de 云yun 天tian
庆qing 成cheng 利li 振zhen 兴xing 远yuan 卫wei 安an 凯kai 龙long 玉yu 宏hong 晓xiao 俊jun""".split()
ARABIC_GIVEN = """Mohammed Ahmed Ali Hassan Hussein Omar Khalid Youssef Ibrahim Abdullah Mustafa Karim
Tariq Samir Walid Faisal Hamza Bilal Nabil Rashid Salem Jamal Fatima Aisha Mariam Layla Nour Huda""".split()
ARABIC_FAMILY = """Al-Hashimi Haddad Khoury Mansour Nasser Saleh Aziz Rahman Hamdan Qasim Farouk
Al-Amiri Al-Saadi Barakat Darwish Habib Jaber Kassem Mahmoud Najjar Obeid Sabbagh Shami Tamimi Zayed
Al-Masri Bakr Ghanem Hijazi Issa""".split()
SPANISH_GIVEN = """Jose Juan Carlos Luis Miguel Jorge Pedro Alejandro Fernando Diego Javier Rafael
Sergio Pablo Manuel Ricardo Eduardo Andres Raul Maria Carmen Lucia Sofia Isabel Valentina Gabriela""".split()
SPANISH_FAMILY = """Garcia Rodriguez Martinez Lopez Gonzalez Perez Sanchez Ramirez Torres Flores Rivera
Gomez Diaz Morales Ortiz Castillo Jimenez Vargas Romero Herrera Medina Aguilar Mendoza Ruiz Alvarez
Castro Navarro Ramos Delgado Guerrero""".split()
GERMAN_GIVEN = """Hans Peter Klaus Wolfgang Jurgen Stefan Andreas Thomas Frank Uwe Dieter Matthias
Ursula Monika Petra Sabine Renate Birgit Heike Katrin""".split()
GERMAN_FAMILY = """Muller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch
Richter Bauer Klein Wolf Schroder Neumann Schwarz Zimmermann Braun Kruger Hofmann Hartmann Lange""".split()
PERSIAN_GIVEN = "Reza Hossein Mahmoud Mehdi Saeed Amir Morteza Javad Hamid Majid Zahra Maryam Narges".split()
PERSIAN_FAMILY = """Ahmadi Hosseini Mohammadi Rezaei Moradi Karimi Jafari Rahimi Kazemi Sadeghi
Ghasemi Heidari Mousavi Najafi Salehi Tehrani""".split()
ORG_WORDS = """Golden Star Northern Pacific Global United Eastern Silk Road Ocean Baltic Arctic Crescent
Phoenix Falcon Atlas Orion Sirius Delta Alpha Horizon Summit Meridian Coral Emerald Sapphire""".split()
ORG_TRADES = """Shipping Trading Petroleum Logistics Holdings Metals Mining Energy Shipyard Aviation
Finance Investments Electronics Chemicals Technologies Maritime Industrial Construction""".split()
ORG_SUFFIXES = "LLC Ltd JSC Co GmbH SA FZE Group Corporation Limited".split()
AUTHORITIES = [
    ("U.S. Department of the Treasury", "US"),
    ("Council of the European Union", "EU"),
    ("UK Government", "GB"),
    ("Government of Canada", "CA"),
    ("United Nations Security Council", "UN"),
]


@dataclass(frozen=True)
class GeneratedTarget:
    kind: str
    name: str
    aliases: tuple[str, ...]


def _labelled_tokens() -> set[str]:
    """Every token of every person the labelled set names, and of its queries."""
    tokens: set[str] = set()
    for item in load_labelled():
        for name in [item["query"], *(item["fits"] or [])]:
            tokens.update(name_tokens(name, keep_titles=True))
    return tokens


def generate_targets(count: int, seed: int = 20261129) -> Iterator[GeneratedTarget]:
    rng = random.Random(seed)
    banned = _labelled_tokens()

    def parts(words: list[str]) -> list[str]:
        return [w for w in words if not set(name_tokens(w, keep_titles=True)) & banned]

    english = (parts(ENGLISH_GIVEN), parts(ENGLISH_FAMILY))
    russian = (parts(RUSSIAN_GIVEN), parts(RUSSIAN_FAMILY))
    arabic = (parts(ARABIC_GIVEN), parts(ARABIC_FAMILY))
    spanish = (parts(SPANISH_GIVEN), parts(SPANISH_FAMILY))
    german = (parts(GERMAN_GIVEN), parts(GERMAN_FAMILY))
    persian = (parts(PERSIAN_GIVEN), parts(PERSIAN_FAMILY))
    han_family = [(w[0], w[1:]) for w in HAN_FAMILY if w[1:].lower() not in banned]
    han_given = [(w[0], w[1:]) for w in HAN_GIVEN]
    for _ in range(count):
        roll = rng.random()
        if roll < 0.08:
            name = f"{rng.choice(ORG_WORDS)} {rng.choice(ORG_TRADES)} {rng.choice(ORG_SUFFIXES)}"
            yield GeneratedTarget("organization", name, ())
        elif roll < 0.33:
            family = rng.choice(han_family)
            given = [rng.choice(han_given) for _ in range(rng.choice((1, 2, 2, 2)))]
            given_latin = "".join(g[1] for g in given)
            if given_latin in banned:
                continue
            latin = f"{family[1]} {given_latin.capitalize()}"
            han = family[0] + "".join(g[0] for g in given)
            if name_tokens(han) != name_tokens(latin):
                continue  # a character read another way: keep generated names honest
            yield GeneratedTarget("person", latin, (han,))
        else:
            given_names, family_names = rng.choice((english, russian, russian, arabic, spanish, german, persian))
            given = rng.choice(given_names)
            family = rng.choice(family_names)
            if given_names is russian[0] and rng.random() < 0.5:
                middle = rng.choice(russian[0]) + "ovich"
                yield GeneratedTarget("person", f"{given} {middle} {family}", (f"{given} {family}",))
            elif rng.random() < 0.2:
                yield GeneratedTarget("person", f"{given} {rng.choice(given_names)} {family}", ())
            else:
                yield GeneratedTarget("person", f"{given} {family}", ())


def bulk_load(store: Store, targets: Iterator[GeneratedTarget], batch: int = 20000) -> int:
    """Write generated targets with their index, an action and a source each."""
    with store.session() as session:
        next_ids = {
            model: (session.scalar(select(func.max(model.id))) or 0) + 1
            for model in (Target, TargetName, NameToken, Action, ActionSource)
        }
        vocabulary = dict(session.execute(select(NameToken.token, NameToken.id)).all())
        df_before = dict(session.execute(select(NameToken.id, NameToken.df)).all())
        article = Article(
            key="benchmark:generated",
            content_hash="0" * 64,
            title="Generated for benchmarks",
            source="benchmark",
            url="https://example.org/generated",
            published=date(2024, 1, 1),
            published_text="2024-01-01",
            text="generated",
            document="{}",
        )
        session.add(article)
        authority_ids = []
        for name, jurisdiction in AUTHORITIES:
            authority = session.scalar(select(Authority).where(Authority.name == name))
            if authority is None:
                authority = Authority(name=name, jurisdiction=jurisdiction)
                session.add(authority)
                session.flush()
            authority_ids.append(authority.id)
        session.flush()
        article_id = article.id
    df: dict[int, int] = {}
    written = 0
    rng = random.Random(7)
    pending: list[GeneratedTarget] = []

    def flush(chunk: list[GeneratedTarget]) -> None:
        rows: dict[type, list[dict]] = {m: [] for m in (Target, TargetName, TargetToken, Action, ActionSource)}
        new_tokens: list[str] = []
        for generated in chunk:
            target_id = next_ids[Target]
            next_ids[Target] += 1
            rows[Target].append({"id": target_id, "kind": generated.kind, "name": generated.name})
            for origin, name in [("value", generated.name), *(("alias", a) for a in generated.aliases)]:
                rows[TargetName].append(
                    {
                        "id": next_ids[TargetName],
                        "target_id": target_id,
                        "article_id": article_id,
                        "name": name,
                        "origin": origin,
                        "published": date(2024, 1, 1),
                        "merge_key": merge_key(name, keep_titles=generated.kind == "organization"),
                    "tokens": " ".join(name_tokens(name, keep_titles=generated.kind == "organization")),
                    }
                )
                next_ids[TargetName] += 1
            for token in index_tokens([generated.name, *generated.aliases], generated.kind):
                if token not in vocabulary:
                    vocabulary[token] = next_ids[NameToken]
                    next_ids[NameToken] += 1
                    new_tokens.append(token)
                token_id = vocabulary[token]
                df[token_id] = df.get(token_id, 0) + 1
                rows[TargetToken].append({"token_id": token_id, "target_id": target_id})
            action_id = next_ids[Action]
            next_ids[Action] += 1
            day = date(2014, 1, 1) + timedelta(days=rng.randrange(3650))
            rows[Action].append(
                {
                    "id": action_id,
                    "target_id": target_id,
                    "authority_id": rng.choice(authority_ids),
                    "kind": "imposed",
                    "day": day,
                    "precision": "day",
                }
            )
            rows[ActionSource].append(
                {
                    "id": next_ids[ActionSource],
                    "action_id": action_id,
                    "article_id": article_id,
                    "quote": f"Generated: {generated.name} was sanctioned.",
                    "date_text": None,
                    "date_from_publication": False,
                    "role": None,
                    "reason": "generated for benchmarks",
                    "program": None,
                    "authority_text": "generated",
                }
            )
            next_ids[ActionSource] += 1
        with store.session() as session:
            if new_tokens:
                vocab_rows = vocabulary_rows(new_tokens)
                for row in vocab_rows:
                    row["id"] = vocabulary[row["token"]]
                session.execute(insert(NameToken), vocab_rows)
                session.execute(insert(NameTokenKey), key_rows({t: vocabulary[t] for t in new_tokens}))
            for model in (Target, TargetName, TargetToken, Action, ActionSource):
                if rows[model]:
                    session.execute(insert(model), rows[model])

    for generated in targets:
        pending.append(generated)
        written += 1
        if len(pending) >= batch:
            flush(pending)
            pending = []
    if pending:
        flush(pending)
    with store.session() as session:
        updates = [{"token_id": i, "new_df": df_before.get(i, 0) + n} for i, n in df.items()]
        for start in range(0, len(updates), 50000):
            session.connection().execute(
                update(NameToken).where(NameToken.id == bindparam("token_id")).values(df=bindparam("new_df")),
                updates[start : start + 50000],
            )
        if session.get_bind().dialect.name == "postgresql":
            # Rows were written with their ids: move each sequence past them, or
            # the next ingest into this store would be given ids already taken.
            for model in (Target, TargetName, NameToken, Action, ActionSource):
                highest = select(func.max(model.id)).scalar_subquery()
                session.execute(select(func.setval(func.pg_get_serial_sequence(model.__tablename__, "id"), highest)))
    return written
