"""Builds the labelled corpus models/data/corpus/{train,test}.jsonl.

Sources (each row records which in "src"):
  * "hand": hand-written sentences in models/data/corpus/handwritten.jsonl (host speech, claims and
    benign speech, written for this project, not scraped);
  * "tpl:<name>": templates with vocabulary slots, expanded with a seeded RNG, plus evasion rewrites of
    some claims (separators, traditional characters, pinyin, look-alikes) so the model sees them too.

Split: deterministic by text, test iff blake2b(text) % 5 == 0 (about 20%); duplicates removed first.
Rebuild:  python -m models.corpus && python -m models.classifier
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import opencc
import orjson

OUT = Path(__file__).parent / "data" / "corpus"
SEED = 20261122

# ----------------------------------------------------------------------------------------------- slots
OPEN = ["", "", "", "家人们，", "姐妹们，", "宝宝们，", "来来来，", "我跟你们说，", "听好了，", "真的，", "各位，", "老铁们，",
        "说实话，", "你们看，", "今天这个，", "咱家这个，", "宝子们，", "注意听，", "好，", "那么，"]
CLOSE = ["", "", "", "，赶紧拍", "，三号链接", "，库存不多了", "，抓紧下单", "，冲冲冲", "，点击下方小黄车", "，拍一发二",
         "，今天直播间专享", "，手慢无啊", "，喜欢的直接拍", "，需要的扣1", "。", "！", "，真的", "，不骗你们"]
FOOD = ["这款燕窝", "这个蜂蜜", "这款枸杞", "这个黑芝麻丸", "这款阿胶糕", "这个红枣", "这款酵素", "这个代餐粉", "这款益生菌",
        "这个牛奶", "这款茶叶", "这个人参", "这款灵芝孢子粉", "这个鱼油", "这款螺旋藻", "这个葛根粉", "这款黑枸杞", "这款石斛"]
COSM = ["这款面霜", "这个精华", "这瓶爽肤水", "这款面膜", "这个眼霜", "这款洗发水", "这个身体乳", "这款防晒", "这支口红",
        "这款洗面奶", "这个护手霜", "这款生发液", "这瓶精油", "这款祛斑霜"]
GOODS = ["这款锅", "这个吹风机", "这件羽绒服", "这双鞋", "这个包", "这款手机壳", "这条裤子", "这个床垫", "这款空气炸锅",
         "这台扫地机", "这款电动牙刷", "这个枕头", "这件卫衣", "这款耳机", "这个保温杯", "这套四件套", "这款台灯"]
ANY = FOOD + COSM + GOODS
DISEASE = ["高血压", "糖尿病", "失眠", "鼻炎", "痛风", "胃病", "颈椎病", "便秘", "湿疹", "脱发", "关节炎", "咽炎", "肩周炎",
           "脂肪肝", "甲状腺结节", "乳腺增生", "老寒腿", "偏头痛", "口腔溃疡", "妇科炎症"]
SCOPE = ["全网", "全国", "全世界", "行业内", "同类产品里", "市面上", "整个平台", "全抖音", "这个价位", "所有品牌里"]
TIME = ["三天", "一周", "七天", "半个月", "一个月", "两周", "十天", "五天", "一个疗程", "两个月"]
NUM_JIN = ["五斤", "八斤", "十斤", "十五斤", "二十斤", "三十斤", "十几斤", "六斤"]
CHARM = ["这个手串", "这个貔貅", "这串朱砂", "这个葫芦摆件", "这个平安扣", "这块玉", "这个转运珠", "这串黑曜石", "这个吊坠"]
COURSE = ["我们的课", "这个课程", "这套网课", "这个训练营", "我们的班", "这套资料", "这个会员班"]
EXAM = ["教资", "考研", "四六级", "公务员", "会计证", "驾照", "雅思", "建造师", "专升本", "执业药师"]
INVEST = ["这个项目", "这个理财", "加盟我们", "这个基金", "投我们这个", "这个平台", "代理我们的产品"]
PRICE = ["九十九", "一百二十九", "六十九", "两百九十九", "三十九块九", "一百九十九", "五十九", "八十八", "十九块九", "一百五"]
BIGPRICE = ["三百九十九", "五百九十九", "一千二", "两百九十九", "三百", "八百八十八", "六百九十九"]


def pick(rng: random.Random, xs: list[str]) -> str:
    return xs[rng.randrange(len(xs))]


def wrap(rng: random.Random, core: str) -> str:
    return pick(rng, OPEN) + core + pick(rng, CLOSE)


# Each generator returns the core sentence; wrap() adds host filler around it.
Gen = Callable[[random.Random], str]


def _g(*forms: str) -> Gen:
    """Template generator: forms use {food} {cosm} {goods} {any} {disease} {scope} {time} {jin} {charm}
    {course} {exam} {invest} {price} {big} slots."""

    def gen(rng: random.Random) -> str:
        f = pick(rng, list(forms))
        return f.format(
            food=pick(rng, FOOD), cosm=pick(rng, COSM), goods=pick(rng, GOODS), any=pick(rng, ANY),
            disease=pick(rng, DISEASE), scope=pick(rng, SCOPE), time=pick(rng, TIME), jin=pick(rng, NUM_JIN),
            charm=pick(rng, CHARM), course=pick(rng, COURSE), exam=pick(rng, EXAM), invest=pick(rng, INVEST),
            price=pick(rng, PRICE), big=pick(rng, BIGPRICE),
        )

    return gen


POSITIVE: dict[str, list[Gen]] = {
    "absolute_terms": [
        _g("{any}是{scope}最好的", "{any}绝对是{scope}最好用的", "{scope}最好的就是{any}了", "{any}，{scope}效果最好",
           "{any}是{scope}最佳的选择", "{any}的品质{scope}最优", "{any}是{scope}最强的", "说真的{any}是{scope}最棒的"),
        _g("{any}销量{scope}第一", "{any}在{scope}排名第一", "{scope}卖得第一的就是{any}", "{any}是{scope}第一品牌",
           "{any}，{scope}销量NO.1", "{any}常年霸榜第一", "{any}连续三年销量第一"),
        _g("{any}是{scope}唯一一款这种工艺的", "{scope}唯一指定的就是{any}", "{any}是{scope}唯一的正品渠道",
           "我们是{scope}唯一授权的"),
        _g("{any}用的是顶级的原料", "{any}是国家级的品质", "{any}是{scope}顶尖的", "{any}简直是极品",
           "{any}做工绝对是世界级的", "{any}是送礼首选", "{any}品质独一无二", "{any}，{scope}绝无仅有",
           "{any}可以说是万能的", "{any}性能遥遥领先"),
    ],
    "state_endorsement": [
        _g("{food}是国宴专用的", "{food}以前都是特供给领导的", "{food}是中南海专供的", "{food}是人民大会堂专用的",
           "{food}上过国宴，国宴同款", "{food}是部队特供的", "{food}是政府指定的", "{any}是国家机关推荐的",
           "{any}是部队专用的品质", "{any}，领导人都在用", "{any}是军队特供品质", "{food}是机关专供的",
           "{goods}是军工品质", "{food}以前只供应给干部的，现在老百姓也能买到"),
    ],
    "superstition": [
        _g("{charm}戴上能招财进宝", "{charm}开过光的可以辟邪", "{charm}放家里能镇宅", "{charm}戴着旺夫",
           "{charm}能帮你转运", "{charm}是大师加持过的", "{charm}戴上桃花运就来了", "{charm}能挡小人",
           "{charm}可以化煞保平安", "{charm}戴了财运会越来越好", "{charm}放在办公桌升官发财", "{charm}能驱邪避凶",
           "本命年戴{charm}能消灾", "{charm}戴上以后运气马上变好"),
    ],
    "medical_claim": [
        _g("{food}能治{disease}", "{food}可以根治{disease}", "坚持喝{food}，{disease}能治好", "{food}对{disease}有疗效",
           "{food}专治{disease}", "{disease}的人吃{food}就不用吃药了", "{food}能代替药物", "{cosm}可以消炎祛痘",
           "{food}降血压降血糖效果特别好", "{food}比药还管用", "{food}能抗癌", "{cosm}是医用级的，能治湿疹",
           "{disease}吃了{food}就断根了", "{food}能溶血栓通血管"),
        _g("{disease}的朋友吃{food}{time}就好了", "我妈{disease}好多年，喝了{food}{time}就好了",
           "{disease}喝{food}{time}症状全没了", "{food}吃{time}，{disease}再也没犯过", "{disease}的吃这个，医院都不用去了",
           "{disease}用了{cosm}{time}就下去了", "{food}一吃，{disease}就好转了", "有{disease}的吃了{time}指标就正常了"),
    ],
    "health_food_claim": [
        _g("{food}能增强免疫力", "{food}可以提高免疫力", "{food}能延缓衰老", "老人吃{food}能改善睡眠",
           "{food}可以排毒养颜", "孩子吃{food}能增强记忆力", "{food}能护肝", "{food}补肾壮阳", "{food}延年益寿",
           "{food}能调节血糖", "{food}能预防感冒", "每天吃{food}可以预防癌症", "{food}清除体内毒素",
           "{food}是健康必备的，人人必备", "{food}能保护肝脏"),
        _g("孩子吃了{food}个子蹭蹭长", "{food}吃了抵抗力变强，再也不感冒", "吃{food}{time}人都年轻了十岁",
           "{food}吃了脑子变聪明", "{food}每天一勺身体倍棒不生病"),
    ],
    "medical_endorsement": [
        _g("{any}是医生推荐的", "{any}，三甲医院都在用", "{any}经过临床验证", "{any}是皮肤科医生推荐的",
           "{any}是专家推荐的", "{any}很多医生都在用", "{any}是医院指定的", "{any}有临床证明", "{any}是老中医推荐的",
           "{any}是院士推荐的", "{any}，医生强烈推荐"),
        _g("我们医院的主任都在吃{food}", "我认识的医生天天给病人推荐{food}", "{any}，医院里护士都抢着买"),
    ],
    "efficacy_guarantee": [
        _g("{any}百分之百有效", "{any}保证有效，无效退款", "{cosm}立竿见影", "{cosm}用了立即见效",
           "{food}没有任何副作用", "{cosm}绝对安全无副作用", "{food}瘦了永不反弹", "{cosm}一劳永逸",
           "{any}不见效退款", "{cosm}当天见效", "{food}孕妇都能放心用，零副作用"),
        _g("{food}吃了{time}瘦{jin}", "喝{food}{time}就能瘦{jin}", "{food}一个月掉{jin}", "吃{food}，躺着就能瘦",
           "{cosm}用完皮肤再也不长痘", "{cosm}用一次黑头全没了", "{cosm}擦{time}斑就没了", "{cosm}白发{time}变黑发",
           "{cosm}抹上{time}头发蹭蹭长", "{cosm}用{time}皱纹全消失", "{cosm}用了年轻十岁", "{cosm}一抹痘印就消了",
           "{food}喝{time}肚子就平了", "{cosm}涂{time}白到发光", "用了{cosm}毛孔再也看不见了",
           "{goods}戴上{time}颈椎就不疼了", "{goods}用{time}视力就恢复了", "{goods}睡{time}失眠就好了",
           "{cosm}保证你{time}变白", "{food}吃了不用运动也能瘦", "{cosm}用完秃头都能长出头发"),
    ],
    "education_guarantee": [
        _g("{course}包过{exam}", "报{course}，{exam}不过全额退款", "{course}保证通过{exam}", "{course}押题必中",
           "{course}百分百通过", "上{course}保证考上", "{course}包拿证", "{course}保录取", "{course}包上岸",
           "{course}稳过{exam}"),
        _g("跟着{course}学，{exam}一定能过", "上了{course}，{exam}肯定能上岸", "{course}学完{exam}至少提五十分",
           "报了{course}{exam}闭着眼睛都能过", "{course}学员{exam}通过率百分之百"),
    ],
    "investment_guarantee": [
        _g("{invest}保本保收益", "{invest}稳赚不赔", "{invest}只赚不赔", "{invest}零风险投资", "{invest}保证收益",
           "{invest}包回本", "{invest}固定回报", "{invest}保底收益百分之十", "{invest}躺赚", "{invest}一本万利"),
        _g("{invest}每个月躺着拿钱", "{invest}投一万一年能赚五千", "{invest}三个月就能回本，一年翻倍",
           "{invest}月入过万不是梦，钱只会越来越多", "{invest}年化收益百分之二十，绝对亏不了"),
    ],
    "price_claim": [
        _g("{any}全网最低价{price}", "{any}今天是全网最低", "{any}史上最低价", "{any}历史最低价了",
           "{any}，{price}全网最便宜", "{any}这是全网底价", "{any}今天亏本价{price}", "{any}跳楼价{price}",
           "{any}赔本卖给大家", "{any}低于成本价了"),
        _g("{any}这个价格全网找不到更低的", "{any}{price}，别的地方绝对买不到这个价", "{any}在哪都买不到比这更便宜的",
           "{any}外面卖{big}，我们{price}，全网没有比我们更低的"),
    ],
}

BENIGN: list[Gen] = [
    # greetings, interaction
    _g("欢迎{x}进入直播间".replace("{x}", "大家"), "欢迎新来的宝宝，点个关注不迷路", "感谢大家的点赞和关注",
       "新进来的家人们点点关注", "喜欢主播的可以加个粉丝团", "扣1让我看到你们", "弹幕扣个想要，我看看有多少人",
       "还有没有没抢到的，没抢到的扣2", "谢谢宝宝送的小心心", "今天直播到十点，大家别走开", "点赞到一万我们上福利"),
    # product description
    _g("{any}是今年的新款", "{goods}用的是加厚的材料", "{goods}有黑白灰三个颜色", "{cosm}是五十毫升的",
       "{food}一盒有三十袋", "{goods}尺码从S到XL都有", "{cosm}质地很清爽，不油腻", "{food}口感偏甜，老人小孩都爱吃",
       "{goods}拿在手里很轻", "{goods}做工挺细的，你们看这个走线", "{cosm}香味很淡，是木质调的", "{food}是独立小包装",
       "{goods}可以机洗", "{cosm}适合干皮和混干皮", "{food}是原产地直发的", "{goods}有三年质保",
       "{any}我自己也在用", "{food}冲泡很方便，开水一冲就行", "{goods}配了收纳袋", "{cosm}是按压泵头的"),
    # logistics, after-sales
    _g("{any}今天拍明天发", "{any}下单四十八小时内发货", "{any}全国包邮，偏远地区除外", "{any}支持七天无理由退换",
       "{any}有运费险", "{any}发的是顺丰", "{any}是品牌官方旗舰店发货", "{any}拍的时候备注颜色",
       "{any}收到有问题直接找客服", "新疆西藏的宝宝不好意思，暂时不发"),
    # prices without absolute claims
    _g("{any}原价{big}，今天直播间{price}", "{any}日常价{big}，今天{price}", "{any}到手价{price}",
       "{any}今天拍一发二，相当于{price}一个", "{any}满三百减五十", "{any}领券以后{price}", "{any}第二件半价",
       "{any}这个价格真的很划算", "{any}今天{price}，比平时便宜不少", "{any}加一块钱多送一瓶",
       "{any}前一百名下单送小样", "{any}今天有优惠券，记得先领券"),
    # benign 最/第一/唯一/首/顶/极 ...
    _g("最近天气冷了，{goods}正好用得上", "最后三分钟，{any}要下架了", "最后五十单", "{any}最后一波福利了",
       "第一次来直播间的宝宝点个关注", "第一步先洁面，第二步用{cosm}", "我们第一时间给大家发货", "{any}第一批已经卖完了",
       "{any}唯一的缺点就是有点贵", "{goods}唯一的不足是颜色少", "唯一要注意的是{cosm}要避光保存",
       "首先给大家介绍一下{any}", "{any}首单立减十块", "{goods}顶部有个按钮", "我家住顶楼，{goods}特别需要",
       "你最好现在就下单，一会就涨价了", "{cosm}你最好先试用一下", "大家最好囤两瓶", "最好先领券再下单",
       "{any}最高可领两百元优惠券", "{any}最低可打五折", "{any}最多限购两件", "{goods}最快明天就到",
       "{goods}是一级能效的，很省电", "{goods}是王者荣耀的联名款", "{goods}是极品飞车同款造型", "我最喜欢{any}这个颜色",
       "{any}最大的优点就是方便", "{any}是第一个链接", "第一个颜色是奶白色", "最初我也不信，后来自己用了才知道",
       "最终解释权归商家所有", "这是我们今天第一款产品", "{goods}最新款刚到货", "{goods}最多可以放十斤东西",
       "最少买两件才包邮", "这是今天唯一一次上架", "首尔同款设计", "一楼二楼都有货", "上周第一场直播很多人没抢到"),
    # disclaimers and honest statements
    _g("{food}是食品，不能代替药物", "本品不能代替药物治疗疾病", "保健食品不是药物，不能代替药物治疗疾病",
       "{cosm}效果因人而异", "{any}不是最便宜的，但是品质有保障", "我们不做任何功效承诺", "投资有风险，入市需谨慎",
       "{food}不能治病，有病要去医院", "身体不舒服请及时就医", "{cosm}敏感肌先在耳后试用", "孕妇请遵医嘱",
       "{any}我不敢说是最好的，但是我自己一直在用", "{food}不是药，大家理性购买", "{course}不承诺包过，要靠自己努力",
       "{cosm}不能祛斑，只是保湿", "{food}不能减肥，就是代餐", "理财有风险，不保本", "我们不说第一，口碑大家看评论"),
    # cue words in benign sense
    _g("{goods}是修身显瘦的版型", "{food}一袋是五斤装的", "{goods}是瘦身款，腰身收得好", "痘痘肌的宝宝{cosm}先别用",
       "{food}三斤装的，一家人吃正好", "{goods}可以装十斤水果", "我们主播以前是学医的，但今天只聊衣服",
       "{goods}用了一年了还很好", "{cosm}用完记得拧紧盖子", "{food}吃了以后记得多喝水", "{food}吃完了再来回购",
       "{goods}保证是正品，假一赔十", "{any}退款找客服就行", "{goods}颜色是斑马纹的", "{goods}膝盖的位置加厚了",
       "{goods}胃口不好的小朋友也爱用这个碗", "{goods}颈部的设计很舒服", "{cosm}适合熬夜后用",
       "{goods}三天就能到货", "{any}一周内发货", "喝了这么多年，{food}的味道一直没变", "考试季到了，{goods}文具买起来",
       "{goods}可以放药品和小东西", "我们家领导今天不在，我来播", "{goods}的收纳效果很好", "{food}有效期两年"),
]

# Compositional grammar: the same "used it for a while, then ..." frame with an efficacy result (claim)
# or an ordinary result (benign), so the model has to learn the result, not the frame.
SUBJ = ["", "", "我", "我妈", "我闺蜜", "我们家老人", "好多粉丝", "我同事", "有个宝宝", "我老公", "我自己", "我们助理"]
USE = ["吃了", "喝了", "用了", "抹了", "涂了", "贴了", "戴了", "泡了", "坚持吃了", "坚持用了", "连着喝了", "擦了"]
DUR = ["三天", "一周", "半个月", "一个月", "两个月", "十天", "一晚上", "两次", "一瓶", "一个疗程", "两盒", "三个月"]
CLAIM_RESULT = [
    "瘦了{jin}", "肚子小了一圈", "脸上的痘痘全消了", "斑淡得看不见了", "白头发变黑了", "头发长出来了", "血压降下来了",
    "血糖稳住了", "晚上再也不失眠了", "腰再也不疼了", "膝盖不疼了", "皱纹平了", "整个人年轻了十岁", "视力恢复了",
    "孩子长高了五厘米", "鼻炎没再犯过", "胃病好了", "便秘彻底好了", "结节变小了", "关节不响了", "黑眼圈没了",
    "皮肤白了两个度", "毛孔不见了", "脱发止住了", "体检指标全正常了", "咳嗽一下就好了", "湿疹全退了", "疤痕淡化了",
    "瘦{jin}", "直接瘦{jin}", "就掉了{jin}", "掉{jin}", "轻了{jin}", "腰围小了五厘米", "裤子松了两个码", "白一个度",
    "年轻十岁", "痘痘就瘪了", "斑就没了", "第二天就不疼了", "头发蹭蹭长", "再也不掉头发", "再也不长痘", "再也没复发",
    "三高都降了", "脸小了一圈", "双下巴没了", "眼袋消了", "白发少了一半", "近视度数降了", "一觉睡到天亮",
]
BENIGN_RESULT = [
    "味道一直没变", "质量还是很好", "一点都没坏", "颜色没掉", "一个球都没起", "还剩一大半", "家里人都爱吃", "没有什么异味",
    "清洗起来很方便", "电池还很耐用", "孩子特别喜欢", "一点都不腻", "包装还是很完整", "做工挺细的", "还想再回购",
    "香味很淡很好闻", "感觉挺方便的", "已经空瓶了", "准备再囤两瓶", "觉得性价比挺高", "味道有点偏甜", "没什么不舒服",
    "就是瓶子有点大", "挺好用的，推荐给大家", "吸收挺快的", "口感很顺滑", "拿着手感很好", "一家人都在用",
]
EVERYDAY_BENIGN = [
    "主播今天嗓子有点疼，说话小声点", "我昨天去医院拿了点药，今天精神不太好", "最近感冒了，声音有点哑", "面包过期了就别吃了",
    "医生说要多喝水多休息", "我们助理今天请假去医院了", "天冷了大家注意别感冒", "吃了饭再来看直播也行",
    "喝了咖啡睡不着，所以今天播到很晚", "用了这么多年的老款，换个新的", "考试季到了，给孩子备点文具", "上周体检完我就开始健身了",
    "这个量一个人吃了三天都没吃完", "这个药盒可以分七天装药", "减肥期间也可以少吃一点零食解解馋", "这个体重秤可以测体脂",
    "瘦一点的宝宝拍S码", "胖一点的宝宝拍大一码", "这个包能装下两斤的东西", "斤数不够的我们补发",
    "痘痘肌用之前先做皮试", "有病要去正规医院看", "孕妇和儿童请在医生指导下使用", "生病了一定要遵医嘱吃药",
    "这款护腰垫只是让你坐得舒服，不能治腰病", "它就是个按摩器，不能治病", "能不能瘦要看个人，我们不保证",
    "课程的通过率要看个人努力", "考试能不能过，主要还是看自己", "收益要看市场行情，我们不做承诺", "瘦不瘦要看你管不管得住嘴",
    "效果好不好要看个人肤质", "能不能长高主要看遗传和营养", "我妈吃了说味道不错", "我老公用了说刮得很干净", "这个耳钉是纯银的，不过敏", "这款手表是316钢的，不过敏",
    "敏感肌用了也没过敏", "这个戒指是925银的，戴着不过敏", "这个价格一百二十八，两件打九折", "这个利息是信用卡分期的手续费", "这个锅我用了两年了，一点没坏", "保质期是两年，放心囤",
]


PART = ["法令纹", "眼袋", "黑眼圈", "痘印", "斑点", "皱纹", "细纹", "鱼尾纹", "毛孔", "黑头", "头皮屑", "白发", "小肚腩",
        "双下巴", "赘肉", "妊娠纹", "疤痕", "色斑", "老年斑", "颈纹", "闭口", "红血丝", "脚气", "灰指甲", "口臭", "狐臭"]
CHANGE = ["淡了一大半", "直接消失", "全没了", "不见了", "消了", "淡化了", "少了一半", "都平了", "一扫而光", "再也不长了",
          "彻底没了", "没了一大半", "好了七八成", "再也没出现过"]


def gen_part_change(rng: random.Random) -> str:
    """Part + change claims ("眼袋直接消失") in several frames."""
    core = pick(rng, PART) + pick(rng, CHANGE)
    k = rng.randrange(3)
    if k == 0:
        return f"{pick(rng, ANY)}{pick(rng, USE)[:-1]}{pick(rng, DUR)}，{core}"
    if k == 1:
        return f"{pick(rng, SUBJ)}{pick(rng, USE)}{pick(rng, DUR)}{core}"
    return f"{pick(rng, ANY)}用完{core}"


def _compose(rng: random.Random, result: str) -> str:
    use = pick(rng, USE)
    dur = pick(rng, DUR)
    shape = rng.randrange(4)
    if shape == 0:
        return f"{pick(rng, SUBJ)}{use}{dur}，{result}"
    if shape == 1:
        return f"{pick(rng, ANY)}{pick(rng, SUBJ)}{use}{dur}，{result}"
    if shape == 2:
        return f"{pick(rng, SUBJ)}{use}{dur}{result}"
    return f"{pick(rng, SUBJ)}{use}{pick(rng, ANY)[1:]}以后{result}"


def gen_claim_compose(rng: random.Random) -> str:
    return _compose(rng, pick(rng, CLAIM_RESULT).format(jin=pick(rng, NUM_JIN)))


def gen_benign_compose(rng: random.Random) -> str:
    return _compose(rng, pick(rng, BENIGN_RESULT))


def gen_everyday(rng: random.Random) -> str:
    return pick(rng, EVERYDAY_BENIGN)


POSITIVE["efficacy_guarantee"].extend([gen_claim_compose] * 5 + [gen_part_change] * 3)
POSITIVE["superstition"].append(
    _g("{charm}摆在店里，生意肯定兴隆", "{charm}戴上能保佑你平平安安", "{charm}戴着，小人近不了身", "{charm}能旺你的事业运",
       "{charm}放在床头，夫妻感情越来越好", "有了{charm}，今年一定发大财", "{charm}保佑全家身体健康")
)
BENIGN.extend([gen_benign_compose, gen_benign_compose, gen_everyday])

EVADE_SEPS = ["*", " ", "~", "·", "-", "_", "|", "❤", "✨", "👍", "/"]
_T2T = opencc.OpenCC("s2t")


def evade(rng: random.Random, text: str) -> str:
    """One evasion rewrite of a claim, as hosts and chat do it."""
    k = rng.randrange(6)
    if k == 0:
        return _T2T.convert(text)
    if k == 1:
        i = rng.randrange(1, max(2, len(text) - 1))
        return text[:i] + pick(rng, EVADE_SEPS) + text[i:]
    if k == 2:
        return text.replace("最", "蕞", 1).replace("第一", "弟一", 1)
    if k == 3:
        return text.replace("最", "zui", 1).replace("第一", "di一", 1)
    if k == 4:
        return text.replace("最", "最最最", 1).replace("第一", "第1", 1)
    return text.replace("最", "最 ", 1).replace("有效", "有*效", 1)


def split_of(text: str) -> str:
    h = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")
    return "test" if h % 5 == 0 else "train"


def build(n_pos_per_gen: int = 90, n_benign_per_gen: int = 320, seed: int = SEED) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    rows: dict[str, dict[str, Any]] = {}

    def add(text: str, label: int, category: str | None, src: str) -> None:
        if text in rows:
            return
        row: dict[str, Any] = {"text": text, "label": label}
        if category:
            row["category"] = category
        row["src"] = src
        rows[text] = row

    for cat, gens in POSITIVE.items():
        for gi, gen in enumerate(gens):
            for _ in range(n_pos_per_gen):
                t = wrap(rng, gen(rng))
                if rng.random() < 0.15:
                    t = evade(rng, t)
                add(t, 1, cat, f"tpl:{cat}:{gi}")
    for gi, gen in enumerate(BENIGN):
        for _ in range(n_benign_per_gen):
            add(wrap(rng, gen(rng)), 0, None, f"tpl:benign:{gi}")
    hand = OUT / "handwritten.jsonl"
    if hand.exists():
        for line in hand.read_bytes().splitlines():
            if line.strip():
                r = orjson.loads(line)
                add(r["text"], int(r["label"]), r.get("category"), "hand")
    return sorted(rows.values(), key=lambda r: r["text"])


def write(rows: list[dict[str, Any]], out: Path = OUT) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    counts = {"train": 0, "test": 0}
    with open(out / "train.jsonl", "wb") as tr, open(out / "test.jsonl", "wb") as te:
        for r in rows:
            s = split_of(r["text"])
            (te if s == "test" else tr).write(orjson.dumps(r) + b"\n")
            counts[s] += 1
    return counts


if __name__ == "__main__":
    rows = build()
    print(write(rows), "positives:", sum(r["label"] for r in rows), "total:", len(rows))
