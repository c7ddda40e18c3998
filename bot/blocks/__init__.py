"""Everything the bot shows in Slack, as Block Kit with a plain-text fallback.

`elements` are the pieces (and Slack's limits); `facts` renders one action;
`paging` fits a card into one message; `cards` renders answers; `notices`
usage and apologies. Two promises hold whatever the store holds: no message
exceeds Slack's limits, and every piece of article or user text is escaped,
so that an article quoting "<!channel>" pings nobody.
"""
