"""Builds the bundled sample recording (replay/data/sample_recording.jsonl), deterministically.

Five rooms on two platforms over about four minutes: declared selection lists, a blacklist with
a host, an alias and an agency, CCC certificates, sessions, host speech with clean and violating
lines, product cards on and off the lists, and a few malformed records. Regenerate with
``python -m replay.sample``.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson

OUT = Path(__file__).resolve().parent / "data" / "sample_recording.jsonl"
CST = timezone(timedelta(hours=8))
T0 = datetime(2026, 11, 22, 20, 0, 0, tzinfo=CST)

SELECTIONS = [
    {"host_id": "dy-h-linxm", "version": 3, "valid_from": "2026-11-01T00:00:00+08:00", "products": [
        {"product_id": "dy-p-1001", "title": "玻尿酸补水保湿面膜 10片装", "brand": "润百颜", "category": "化妆品"},
        {"product_id": "dy-p-1002", "title": "氨基酸洗面奶 120g", "brand": "芙丽芳丝", "category": "化妆品"},
        {"product_id": "dy-p-1003", "title": "小棕瓶精华液 50ml", "brand": "雅诗兰黛", "category": "化妆品"},
    ]},
    {"host_id": "ks-h-zhaodc", "version": 1, "products": [
        {"product_id": "ks-p-2001", "title": "五常大米 稻花香 5kg", "brand": "十月稻田", "category": "食品"},
        {"product_id": "ks-p-2002", "title": "黑芝麻丸 独立包装 30颗", "brand": "老金磨方", "category": "食品"},
        {"product_id": "ks-p-2003", "title": "铁棍山药粉 500g", "brand": "怀府", "category": "食品"},
    ]},
    {"host_id": "dy-h-wangsm", "version": 2, "products": [
        {"product_id": "dy-p-3001", "title": "Xiaomi 小米 充电宝 20000mAh 22.5W", "brand": "小米", "category": "数码"},
        {"product_id": "dy-p-3002", "title": "公牛 插线板 GN-B3 五孔 1.8米", "brand": "公牛", "category": "插座"},
        {"product_id": "dy-p-3003", "title": "儿童电动遥控越野车 玩具", "brand": "贝恩施", "category": "玩具"},
    ]},
    {"host_id": "ks-h-chenj", "version": 1, "products": [
        {"product_id": "ks-p-4001", "title": "婴儿纸尿裤 L码 52片", "brand": "好奇", "category": "母婴"},
        {"product_id": "ks-p-4002", "title": "儿童益智积木 100粒", "brand": "乐高", "category": "玩具"},
    ]},
]

BLACKLIST = [
    {"subject_id": "dy-h-liuds", "subject_type": "host", "op": "add", "reason": "多次虚假宣传，平台永久封禁",
     "ts": "2026-10-15T10:00:00+08:00", "names": ["刘大帅", "大帅哥哥", "Liu Dashuai"]},
    {"subject_id": "mcn-haoyun", "subject_type": "agency", "op": "add", "reason": "组织主播销售假冒伪劣商品",
     "ts": "2026-09-01T09:00:00+08:00"},
    {"subject_id": "op-temp-01", "subject_type": "operator", "op": "add", "reason": "临时处罚",
     "ts": "2026-10-01T09:00:00+08:00", "expires_at": "2026-11-01T00:00:00+08:00"},
]

CERTIFICATES = [
    {"cert_no": "2021010803123456", "holder": "紫米电子", "status": "valid", "ts": "2025-06-01T00:00:00+08:00",
     "scope": ["充电宝", "移动电源", "数码"], "expires_at": "2030-06-01T00:00:00+08:00"},
    {"cert_no": "2020010201654321", "holder": "公牛集团", "status": "valid", "ts": "2025-01-01T00:00:00+08:00",
     "scope": ["插座", "插线板", "转换器"], "expires_at": "2029-01-01T00:00:00+08:00"},
    {"cert_no": "2019010902111111", "holder": "某玩具厂", "status": "revoked", "ts": "2026-08-01T00:00:00+08:00",
     "scope": ["玩具"]},
]

# room -> (platform, host, host name, operator, agency, session offset s, lines)
ROOMS: dict[str, dict[str, Any]] = {
    "dy-r-1001": {"platform": "douyin", "host": "dy-h-linxm", "name": "林小美", "agency": "mcn-meili",
                  "start": 0, "lines": [
        "哈喽宝宝们晚上好，欢迎来到小美的直播间",
        "今天给大家带来的是这款玻尿酸补水面膜，一盒十片",
        "最近天气干，大家记得多补水",
        "这款面膜是全网最低价，别家都没有这个价格",
        "敷完第一次就能感觉到皮肤水润了",
        "它是国家级实验室认证的，效果顶级",
        "我们不是最便宜的，但是品质绝对有保障",
        "用了这个面膜祛斑美白，三天就能治好痘痘",
        "你最好现在就下单，库存不多了",
        "这款精华液是唯一一款能让皮肤逆龄十岁的",
        "唯一的缺点就是包装有点简单",
        "无效退款，百分百有效，无任何副作用",
        "好了，下单的宝宝记得备注要赠品哦",
    ]},
    "ks-r-2001": {"platform": "kuaishou", "host": "ks-h-zhaodc", "name": "赵大厨", "agency": None,
                  "start": 15, "lines": [
        "老铁们，家人们，赵大厨来了",
        "这个五常大米是今年的新米，煮出来特别香",
        "黑芝麻丸每天吃两颗，降血压降血糖，比吃药还管用",
        "这个山药粉可以根治胃病，医生都推荐",
        "首单的朋友们有优惠，关注一下主播",
        "这个大米是国宴专用的，特供中南海",
        "第一步先把米淘洗干净，第二步泡半小时",
        "吃了我们的芝麻丸，三个月白头发全变黑",
        "买一箱招财进宝，吃了旺夫旺财",
        "最后五分钟，还没下单的抓紧了",
    ]},
    "dy-r-3001": {"platform": "douyin", "host": "dy-h-wangsm", "name": "王哥数码", "agency": None,
                  "start": 30, "lines": [
        "兄弟们晚上好，王哥今天带大家看数码好物",
        "这款小米充电宝两万毫安，二十二点五瓦快充",
        "充电宝是第1名的销量，全网no.1",
        "这个插线板有CCC认证，大家放心买",
        "这个越野车是最好的儿童玩具，没有之一",
        "一级能效的电器更省电，这个大家都知道",
        "王者荣耀打一晚上，充电宝电量都够用",
        "最多可以同时给三台设备充电",
        "跟着王哥买，稳赚不赔，保本保收益",
    ]},
    "dy-r-5001": {"platform": "douyin", "host": "dy-h-liuds", "name": "刘大帅", "agency": None,
                  "start": 45, "lines": [
        "家人们我回来了，大帅又开播了",
        "今天这个减肥茶，喝了七天瘦十斤",
        "蕞低价，只有今天，错过等一年",
    ]},
    "ks-r-6001": {"platform": "kuaishou", "host": "ks-h-newbie", "name": "大帅哥哥", "agency": "mcn-haoyun",
                  "start": 60, "lines": [
        "新朋友们好，第一次来直播间的点点关注",
        "这个酵素清肠排毒，癌症患者都在吃",
        "zui好的品质，zui低的价格",
        "考研课程包过，不过全额退款",
    ]},
}

CARDS = [
    # room, offset s, product_id, title, brand, category, price, list_price, ccc_cert
    ("dy-r-1001", 20, "dy-p-1001", "玻尿酸补水保湿面膜 10片装", "润百颜", "化妆品", 89.0, 129.0, None),
    ("dy-r-1001", 95, "dy-p-9999", "【直播专享】美白祛斑霜 30g 包邮", "无名", "化妆品", 59.0, 399.0, None),
    ("dy-r-1001", 140, "dy-x-1003", "【限时秒杀】雅诗兰黛 小棕瓶精华 50ml", "Estee Lauder", "化妆品", 499.0, 790.0, None),
    ("ks-r-2001", 40, "ks-p-2001", "五常大米 稻花香 5kg", "十月稻田", "食品", 69.9, 99.0, None),
    ("ks-r-2001", 110, "ks-p-7777", "野生灵芝孢子粉 降三高", "某某堂", "保健食品", 299.0, 1980.0, None),
    ("dy-r-3001", 50, "dy-p-3001", "Xiaomi 小米 充电宝 20000mAh 22.5W", "小米", "数码", 129.0, 149.0,
     "2021010803123456"),
    ("dy-r-3001", 80, "dy-p-3002", "公牛 插线板 GN-B3 五孔 1.8米", "公牛", "插座", 39.9, 59.0, "2020010201654321"),
    ("dy-r-3001", 120, "dy-p-3003", "儿童电动遥控越野车 玩具", "贝恩施", "玩具", 159.0, 299.0, "2019010902111111"),
    ("dy-r-3001", 150, "dy-p-3010", "无线蓝牙耳机 降噪", "杂牌", "数码", 19.9, 199.0, None),
    ("ks-r-6001", 90, "ks-p-8888", "清肠排毒酵素 30袋", "不知名", "食品", 19.9, 298.0, None),
    ("ks-r-6001", 130, "ks-p-8889", "儿童发光玩具枪", "不知名", "玩具", 9.9, 59.0, None),
]


def _iso(offset_s: float) -> str:
    return (T0 + timedelta(seconds=offset_s)).isoformat(timespec="milliseconds")


def _ms(offset_s: float) -> int:
    return int((T0 + timedelta(seconds=offset_s)).astimezone(UTC).timestamp() * 1000)


def build(seed: int = 7) -> list[tuple[float, dict[str, Any]]]:
    rng = random.Random(seed)
    lines: list[tuple[float, dict[str, Any]]] = []
    for sel in SELECTIONS:
        lines.append((-60, {"topic": "livewatch.selections", **sel}))
    lines.append((-60, {"topic": "livewatch.selections", "host_id": "dy-h-ref", "version": 1, "products": [
        {"product_id": f"ref-{i:03d}", "title": f"参考商品{i}"} for i in range(40)]}))
    for entry in BLACKLIST:
        lines.append((-59, {"topic": "livewatch.blacklist", **entry}))
    for cert in CERTIFICATES:
        lines.append((-58, {"topic": "livewatch.certificates", **cert}))
    # Reference prices seen earlier that evening, so the price sketch has enough observations.
    for i in range(40):
        category = ("食品", "化妆品")[i % 2]
        base = {"食品": 80.0, "化妆品": 200.0}[category]
        room = f"dy-r-90{i % 8:02d}"
        lines.append((-50 + i, {
            "topic": "livewatch.product_cards", "event_id": f"ev-ref-{i:03d}", "platform": "douyin",
            "room_id": room, "session_id": f"{room}-s-ref", "host_id": "dy-h-ref", "ts": _ms(-50 + i),
            "product_id": f"ref-{i:03d}", "title": f"参考商品{i}", "category": category,
            "price": round(base * rng.uniform(0.7, 1.4), 1),
        }))
    for room_id, room in ROOMS.items():
        session_id = f"{room_id}-s-20261122"
        start = room["start"]
        session = {"topic": "livewatch.sessions", "event_id": f"ev-{room_id}-start", "platform": room["platform"],
                   "room_id": room_id, "session_id": session_id, "host_id": room["host"],
                   "status": "start", "ts": _iso(start), "host_name": room["name"],
                   "operator_id": f"op-{room['host']}", "title": f"{room['name']}的直播间"}
        if room["agency"]:
            session["agency_id"] = room["agency"]
        lines.append((start, session))
        t = start + 3
        for seq, text in enumerate(room["lines"], start=1):
            t += rng.uniform(6, 14)
            ts: Any = _iso(t) if seq % 3 else _ms(t)  # both timestamp forms appear
            lines.append((t, {"topic": "livewatch.transcripts", "event_id": f"ev-{room_id}-t{seq:03d}",
                              "platform": room["platform"], "room_id": room_id, "session_id": session_id,
                              "host_id": room["host"], "seq": seq, "ts": ts, "text": text,
                              "asr_confidence": round(rng.uniform(0.82, 0.99), 2)}))
        lines.append((t + 20, {"topic": "livewatch.sessions", "event_id": f"ev-{room_id}-end",
                               "platform": room["platform"], "room_id": room_id, "session_id": session_id,
                               "host_id": room["host"], "status": "end", "ts": _iso(t + 20)}))
    for i, (room_id, offset, pid, title, brand, category, price, list_price, cert) in enumerate(CARDS):
        room = ROOMS[room_id]
        card = {"topic": "livewatch.product_cards", "event_id": f"ev-{room_id}-c{i:02d}",
                "platform": room["platform"], "room_id": room_id, "session_id": f"{room_id}-s-20261122",
                "host_id": room["host"], "ts": _iso(room["start"] + offset), "product_id": pid, "title": title,
                "brand": brand, "category": category, "price": price, "list_price": list_price}
        if cert:
            card["ccc_cert"] = cert
        lines.append((room["start"] + offset, card))
    lines.sort(key=lambda item: item[0])
    return lines


MALFORMED = [
    # kcat -J envelopes whose payloads cannot be used: they must reach the dead-letter topic.
    {"topic": "livewatch.transcripts", "partition": 0, "offset": -1, "tstype": "create", "ts": -1,
     "key": "dy-r-1001", "payload": "{\"event_id\": \"ev-bad-1\", \"text\": \"半截的JSON"},
    {"topic": "livewatch.transcripts", "partition": 0, "offset": -1, "tstype": "create", "ts": -1,
     "key": "ks-r-2001", "payload": "{\"event_id\": \"ev-bad-2\", \"platform\": \"kuaishou\", \"room_id\": "
     "\"ks-r-2001\", \"session_id\": \"s\", \"host_id\": \"ks-h-zhaodc\", \"seq\": \"三\", "
     "\"ts\": \"2026-11-22T20:01:00+08:00\", \"text\": \"seq 不是整数\"}"},
    {"topic": "livewatch.product_cards", "partition": 0, "offset": -1, "tstype": "create", "ts": -1,
     "key": "dy-r-3001", "payload": "{\"event_id\": \"ev-bad-3\", \"platform\": \"douyin\", \"room_id\": "
     "\"dy-r-3001\", \"session_id\": \"s\", \"host_id\": \"dy-h-wangsm\", \"ts\": \"昨天晚上\", "
     "\"product_id\": \"p\", \"title\": \"时间戳不对\"}"},
    {"topic": "livewatch.sessions", "partition": 0, "offset": -1, "tstype": "create", "ts": -1,
     "key": "dy-r-1001", "payload": "[\"not\", \"an\", \"object\"]"},
]


def write(path: Path = OUT) -> int:
    lines = build()
    out = [orjson.dumps(record) for _, record in lines]
    # Spread the malformed records through the recording.
    for i, bad in enumerate(MALFORMED):
        out.insert(len(out) * (i + 1) // (len(MALFORMED) + 1), orjson.dumps(bad))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\n".join(out) + b"\n")
    return len(out)


if __name__ == "__main__":
    print(f"wrote {write()} records to {OUT}")
