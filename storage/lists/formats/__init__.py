"""One reader per publisher's file format, each turning a file into `ListEntry` items as it streams.

`ofac` (SDN.XML), `eu` (FSF XML), `uk` (UK Sanctions List CSV and XML), `un`
(consolidated XML), `canada` (SEMA XML, both element-name forms), `ftm`
(OpenSanctions FollowTheMoney JSON lines). `xmlstream` is the safe streaming
parse the XML readers share; `names` and `written_dates` read names and dates
as the files write them. `storage.lists.reading` picks the reader.
"""
