"""Builds the labelled corpus models/data/corpus/{train,test}.jsonl.

Sources (each row records which in "src"):
  * "hand": hand-written sentences in models/data/corpus/handwritten.jsonl (host speech, claims and
    benign speech, written for this project, not scraped);
  * "written:<file>": sentences in models/data/corpus/written/*.jsonl, written for training by separate
    authors (helper agents given only the category definitions, never the code, lexicon or evaluation
    sets): claims paraphrased without their keywords, testimonials, sales talk, and hard benign lines;
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

from models.plain import read_jsonl

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
    # (A reference price far above the live one is a 虚构原价 claim, see "refprice" below; these are modest.)
    _g("{any}原价{price}，今天直播间再减十块", "{any}日常价{big}，今天直播间打九折", "{any}到手价{price}",
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


# ------------------------------------------------------------------------ paraphrase & hard-benign layer
# Added after a held-out check showed two kinds of errors the templates above do not model: false alarms on
# benign speech that sits next to cue words (risk disclaimers, read-out chat questions with honest answers,
# general health advice, refutations, size/fit talk with 斤), and misses of claims paraphrased without the
# keywords above (pass promises, "loss is on me", endorsement by implication, luck stories).  Forms are
# written as free combinations of slots (many structures, each slot list reusable across forms) so that the
# model has to learn the stance (promise vs. caveat), not a fixed sentence.  These generators draw from
# their own RNG (seed + 1), after the generators above, so the rows those produce are unchanged.

SLOTS: dict[str, list[str]] = {
    "food": FOOD, "cosm": COSM, "goods": GOODS, "any": ANY, "disease": DISEASE, "time": TIME, "jin": NUM_JIN,
    "charm": CHARM, "course": COURSE, "exam": EXAM, "invest": INVEST,
    # fillers inside a sentence (hosts run clauses together)
    # --- price_claim: an inflated reference price (reference >= 3x live, 《明码标价和禁止价格欺诈规定》第十九条)
    "refword": ["专柜价", "吊牌价", "官方售价", "市场价", "外面卖", "商场里卖", "实体店卖", "原价", "建议零售价", "别家都卖"],
    "bigp": ["三百九十九", "五百九十九", "一千二", "两千多", "八百八", "一千八", "三千九", "六百多", "九百九十九"],
    "smallp": ["十九块九", "二十九", "三十九块九", "四十九", "五十九", "六十九", "八十八", "九十九"],
    "livew": ["今天只要", "直播间只要", "我们这里", "今天到手", "今天福利价", "直播间秒杀价", "在我这只要"],
    "fill": ["", "", "", "就是说，", "怎么说呢，", "这个我得说一下，", "嗯，", "那个，", "对吧，", "咱们实话实说，", "我再强调一遍，",
             "跟大家讲清楚，", "啊，", "你听我说，"],
    # --- benign: risk warnings and disclaimers
    "risk": ["理财有风险，买之前想清楚", "投资有风险，入市要谨慎", "以前的收益不代表以后也有", "历史业绩只是参考，不代表将来",
             "收益是浮动的，有高有低", "收益跟着市场走，有可能是负的", "本金是有可能亏的", "我们不承诺任何收益",
             "不保本，也没有固定回报", "能赚多少谁也打不了包票", "行情这东西谁都预测不了", "亏钱的可能性是存在的",
             "年化收益每年都不一样", "页面上的收益率只是过去的数据", "千万别拿养老钱看病钱来投", "风险承受能力低的别买",
             "闲钱再考虑，量力而行", "赚了亏了都是自己的决定", "利息是按实际天数算的，不是固定的", "回报不是保证的，要看经营情况"],
    "edu_caveat": ["考不考得过主要看自己", "我们不承诺通过率", "能不能上岸还是得靠自己刷题", "课程只是辅助，分数得自己挣",
                   "不包过，谁说包过都别信", "我们只管把课讲好，考试结果没法保证", "提分多少要看你每天学几个小时",
                   "录取这个事，谁也不能打包票", "证书要自己考，我们不代办", "报了班不学也没用"],
    "eff_caveat": ["效果因人而异", "每个人体质不一样，效果也不一样", "我不敢保证你用了一定怎么样", "瘦不瘦关键还是管住嘴迈开腿",
                   "长痘的原因很多，护肤品解决不了所有问题", "不能代替药物，有病去医院", "它不是药，没有治疗作用",
                   "白不白跟你的底子有关系", "掉头发严重的要去医院查查原因", "这个只是辅助，别把它当药"],
    # --- benign: chat questions read out, honest answers
    "asker": ["有宝宝问", "弹幕有人问", "刚刚有个姐妹问", "后台有人私信问我", "好多人在问", "这位宝宝问", "有个粉丝问",
              "评论区又有人问", "刚进来的宝宝问", "一直有人问"],
    "ask": ["吃多久能瘦下来", "用几天能白", "多久能看到效果", "能不能治{disease}", "能不能把痘痘去掉", "报了课考试能不能过",
            "投进去一年能赚多少", "孩子吃了能不能长高", "用了会不会不掉头发", "喝了血压能不能降", "斑能不能去掉",
            "这个课能不能保证上岸", "戴了能不能转运", "能不能改善失眠", "孩子吃了会不会变聪明", "买了以后会不会升值",
            "用了多久能长出头发", "是不是医生推荐的", "有没有收益保障", "吃了多久能见效"],
    "answer": ["这个我真没法说，每个人情况不一样", "说实话我保证不了，因人而异", "我不能跟你打包票", "这个要看个人体质",
               "我们不做这种承诺", "这个真的说不准", "我不敢乱说，有问题还是去医院", "我只能说我自己用着还行，你用不一定一样",
               "这个没有标准答案", "谁跟你保证都别信", "没有这个功效哈，它就是个普通产品", "主播不是医生，这个你得问医生",
               "不能，它就是个食品", "说能的那都是骗人的", "得看你自己坚持不坚持", "这个我回答不了，我不是专业的",
               "我没有这个数据，不能乱讲", "不一定，我不想骗大家", "这个真不好讲，别抱太大期望", "没有的事，它就是日常用的"],
    # --- benign: general health advice that endorses nothing
    "symptom": ["长痘了", "脸过敏了", "嗓子疼的", "胃不舒服的", "腰疼得厉害的", "血压高的", "失眠很严重的", "头发掉得多的",
                "咳嗽一直不好的", "关节疼的", "眼睛干涩的", "孩子发烧的", "皮肤起疹子的", "牙疼的", "长斑长得厉害的"],
    "advice": ["别自己乱买药吃，去医院看看", "不要用手去挤，容易留印子", "严重的话去{dept}挂个号", "先把护肤品都停了，去看医生",
               "还是要听医生的", "多休息多喝温水", "早点睡，少熬夜", "饮食清淡一点，少吃辣的", "医生开的药按时吃",
               "去正规医院查一查", "别信偏方，去{dept}看看", "该吃药吃药，别拖着"],
    "dept": ["皮肤科", "消化科", "骨科", "眼科", "呼吸科", "内分泌科", "儿科", "口腔科", "神经内科"],
    "habit": ["多喝水", "少吃油腻的", "规律作息", "适当运动", "少熬夜", "少吃糖", "多吃蔬菜水果", "晚饭少吃点", "每天走一走"],
    "doc": ["医生", "大夫", "我们家的家庭医生", "医院的医生", "我上次看的那个医生", "营养师"],
    # --- benign: refutations
    "plain": ["普通的食品", "个日用品", "保湿用的", "个净水的过滤器", "个按摩的小工具", "帮你学习的资料", "个装饰品", "一个零食",
              "清洁用的", "个辅助的东西", "一件衣服", "个收纳的", "喝着玩的饮料", "个护具"],
    "notclaim": ["不生病", "治好{disease}", "瘦下来", "不长痘", "长高", "考上", "血压正常", "变白", "不掉头发", "不感冒",
                 "赚大钱", "去皱纹", "年轻十岁", "不失眠", "提分"],
    # --- benign: size and fit with 斤
    "height": ["一米五五", "一米五八", "一米六", "一米六二", "一米六五", "一米六八", "一米七", "一米七五", "一米八"],
    "weight": ["九十斤", "九十五斤", "一百斤", "一百零五斤", "一百一十斤", "一百一十五斤", "一百二十斤", "一百三十斤",
               "一百四十斤", "一百五十斤", "一百六十斤", "一百八十斤", "两百斤"],
    "size": ["S码", "M码", "L码", "XL码", "2XL", "均码", "大一码", "小一码"],
    "small": ["两三斤", "三五斤", "几斤", "七八斤", "十来斤", "五斤"],
    "part_fit": ["腰围", "裤腰", "肩膀", "袖子", "腰头", "裙摆"],
    # --- benign: generic host talk (common words get neutral weights) next to cue words used innocently
    "generic": ["刚出来的新款", "拍出来有点色差", "尺码颜色都在链接里", "我给你们看一下细节", "每年这个时候都卖得好",
                "后台都在催发货", "我给你们试一下", "每年双十一都有活动", "我们办公室都在用的款", "这个月都在补货",
                "上身出来的效果跟图片一样", "你们要的链接给你上了", "仓库那边说明天都能发出去", "刚从外面回来"],
    "spec": ["今天拍一发二", "是按压瓶的", "有两个规格，大瓶小瓶", "满两件打九折", "明天下午统一发货", "库存还剩两百单",
             "包装今年升级了", "支持七天无理由", "盒子有点压痕，介意的别拍", "赠品是一个小样", "链接在三号", "只能发快递，不发物流"],
    "cuename": ["这款祛斑霜", "这个生发液", "这个降压仪的袖带", "这款祛痘凝胶", "这个减肥代餐", "这款护眼贴", "这个颈椎枕",
                "这款美白面膜", "这个防脱洗发水", "这款益生菌", "这个增高鞋垫", "这个血糖仪的试纸"],
    "cue_benign": ["一百二十斤的也能穿", "今天在医院排队排了一上午", "孩子下周考试，我得早点下播", "痘痘肌也能用，成分很温和",
                   "分期是有利息的，看清楚再分", "这个颜色显年轻", "冬天关节怕冷的多穿点", "不满意退款找客服就行",
                   "我运气一般，抽奖从来没中过", "医生朋友说我该少吃夜宵了，哈哈", "这款保证是正品，放心", "刚考完驾照的可以看看这个车载支架",
                   "冒出来的痘别去抠", "通过率每年都不一样，我给不了准数", "胖瘦都能穿，版型宽松", "收益这种事我不懂，不乱说"],
    # --- claims: education
    "cohort": ["去年跟我们学的", "上一期报名的", "往届的学员", "前年那批宝妈", "每一期的同学", "跟我学的那帮孩子", "我带的班"],
    "allpass": ["一个没落下，考试全过了", "全部顺利拿到证书", "没有一个没考上的", "个个都上岸了", "全员录取", "全员考试过线，一个没挂",
                "考试通过率百分百", "清一色全过，证书都拿了", "考完全是高分，全上岸了"],
    "sure": ["稳稳的", "十拿九稳", "板上钉钉", "妥妥的", "就是时间问题", "跑不了", "没有悬念", "铁定的事"],
    "score": ["及格线", "目标分", "四百分", "合格线", "四百二十五", "国家线", "一百二"],
    "refund": ["学费全额退款", "退款，一分不少", "保证一分钱不收你的", "全部学费退款", "免费重修直到考上为止", "学费原路退款",
               "我们双倍退款"],
    # --- claims: investment
    "putin": ["钱放我们这", "钱投进来", "钱交给我们打理", "本金存进来", "把钱放平台上", "闲钱放进来"],
    "wait": ["等着收利息就行", "每个月分红按时到账", "躺着拿利息", "坐等分红", "月月有收益进账", "啥也不用管，钱自己赚钱",
             "等着收分红就行"],
    "cover": ["亏了我来补", "亏多少我赔多少", "本金少一分我负责", "赔了算我们的", "不会让你亏一分钱", "亏了找我，我兜底",
              "有损失我们全额补", "本金一分都不会少"],
    "grow": ["放着就升值", "只涨不跌", "每年都在涨", "拿着就增值", "越放越值钱", "一年比一年值钱"],
    "pct": ["每年收益三成", "一年至少赚百分之二十", "两年翻倍", "年年稳赚", "一年回报四五成", "每个月多赚一成", "每年涨三成"],
    # --- claims: medical endorsement by implication
    "medp": ["穿白大褂的", "医院里的大夫", "学医的医生朋友", "我认识的医院主任", "医学院的专家", "医院的护士长", "当医生的亲戚",
             "医院的药剂师", "儿科医生", "做手术的那些专家", "中医馆的老专家", "好几个医生"],
    "stock": ["囤", "常备", "天天在用", "一箱一箱地买", "只认", "给自己孩子用"],
    "hosp": ["三甲医院", "协和的专家团队", "医科大学附属医院", "附属医院", "人民医院的科室", "好几家大医院", "医学院的专家"],
    # --- claims: state endorsement by implication
    "stplace": ["部委大院", "机关大院", "国宾馆", "钓鱼台", "大使馆", "驻外使馆", "大会堂的宴会", "中央的招待所", "军区大院",
                "省委接待处"],
    "stuse": ["内部特供的", "招待外宾和领导用的", "领导开会的时候专门用的", "指定的接待用品，领导都用", "年年都要订来给领导的",
              "只给内部配的特供", "内部供应给干部的"],
    "vip": ["外宾和领导", "首长和领导", "老领导", "来访的外国领导人", "大领导", "领导干部"],
    # --- claims: superstition efficacy
    "spot": ["收银台", "店门口", "办公桌", "床头", "车里", "玄关", "柜台上", "财位", "保险柜上"],
    "gain": ["流水翻了一倍，财运挡都挡不住", "生意一天比一天旺", "客人多了好几倍，生意兴隆", "订单接到手软，风水真不一样",
             "业绩直接翻番，好运连连", "回款特别顺，财运旺得很", "欠的钱都要回来了，运气变好了", "流水翻了一倍"],
    "luck": ["买彩票中了两万，运气好得不得了", "抽奖抽中了一等奖，好运来了", "刮刮乐中了一千，财运来了", "年终奖多拿了一倍",
             "升职了，事业运旺", "官司打赢了，小人都躲开了", "脱单了，桃花运来了", "拖了一年的单子签下来了，运气真的变了"],
    "amulet": ["银锁", "长命锁", "桃木剑", "平安符", "护身符", "开光的吊坠", "五帝钱", "小葫芦"],
    "ward": ["保佑平安不受惊吓", "小人近不了身", "保佑一年到头顺顺利利", "霉运全挡掉，好运进门", "保佑全家灾病都绕着走",
             "晚上不哭不闹，有菩萨保佑", "邪气进不来，运气越来越好"],
    # --- claims: efficacy / medical paraphrases
    "who": ["我妈", "我婆婆", "我们粉丝", "我姐", "隔壁阿姨", "我一个老客户", "我同事的爸爸", "好多宝宝"],
    "effect": ["效果肉眼可见，绝对管用", "谁用谁说好，保证有变化", "没有一个说不管用的", "用了就回不去了，神奇得很",
               "不管用你来找我", "效果摆在那，保证的", "一用一个准，立马见变化", "用了的都说神奇"],
    "med_paraphrase": ["药都停了", "医院都不用跑了", "降压药都不用吃了", "多年的老毛病没了", "再没犯过", "复查指标全正常了",
                       "症状全没了", "病就好了"],
}


class _Picker(dict):
    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> str:
        return pick(self.rng, SLOTS[key])


def _gx(*forms: str) -> Gen:
    """Like _g, over the SLOTS table; a slot value may itself contain slots (expanded up to three times)."""

    def gen(rng: random.Random) -> str:
        s = pick(rng, list(forms))
        for _ in range(3):
            if "{" not in s:
                break
            s = s.format_map(_Picker(rng))
        return s

    return gen


def _gx2(*forms: str) -> list[Gen]:
    """Two generators over alternate forms: the group hold-out then never removes a whole phenomenon."""
    return [_gx(*forms[0::2]), _gx(*forms[1::2])]


EXTRA_POSITIVE: dict[str, list[Gen]] = {
    "education_guarantee": [
        *_gx2("{cohort}，{exam}{allpass}", "{fill}{cohort}{allpass}，今年你来也一样", "报了{course}，{exam}上岸{sure}",
            "跟着{course}走，{exam}考试{sure}能过", "{exam}考不到{score}，{refund}", "{course}带的学生，{exam}个个都考上了",
            "{exam}没过{refund}，这话我敢放这", "{fill}你只管来听课，{exam}上岸这个事{sure}", "{cohort}{exam}{allpass}，你怕什么",
            "{exam}的证书，报{course}就等于拿到手了", "进了{course}，{exam}分数线肯定能过", "过不了{exam}{refund}，我们对自己有信心"),
    ],
    "investment_guarantee": [
        *_gx2("{putin}，{wait}，{cover}", "{fill}{putin}就{wait}", "{invest}{grow}，{pct}，不会亏", "{invest}{pct}，{cover}",
            "{putin}，{cover}，利息照样拿", "{invest}你就{grow}，{wait}", "{fill}{invest}{cover}，利息月月拿",
            "{putin}一年，{pct}，本金还在", "买{invest}就是{grow}，稳赚的，没有亏的道理", "{invest}的利息比银行高多了，{cover}"),
    ],
    "medical_endorsement": [
        *_gx2("{medp}自己家里都{stock}{any}", "{any}是跟{hosp}联合研发的，有医院背书", "{medp}跟我说就{stock}这个牌子",
            "{medp}都让病人回家用{any}", "{any}{hosp}都拿去做过试验，{medp}都认", "{fill}{medp}私下都{stock}{any}，懂的都懂",
            "{any}的配方是{hosp}给的", "{medp}下了班都来我们这拿{any}", "{any}，{medp}开会都点名推荐"),
    ],
    "state_endorsement": [
        *_gx2("{food}是{stplace}{stuse}", "{stplace}{stuse}就是{food}", "{food}以前是{stplace}特供，只有那才喝得到", "{food}平时都是给{vip}准备的",
            "{stplace}招待{vip}，桌上就摆的{food}", "{goods}是{stplace}里领导用的同款，外面买不到", "{fill}{food}是专门给{vip}配的",
            "{food}一直是{stplace}的特供用品", "{food}，{vip}都说好，{stplace}年年订"),
    ],
    "superstition": [
        *_gx2("{charm}摆在{spot}，{time}{gain}", "{who}戴了{charm}以后{luck}，真的灵", "给孩子戴个{amulet}，{ward}",
            "{charm}请回家放在{spot}，{gain}", "{amulet}挂在门口，{ward}", "{fill}{who}请了{charm}，没多久就{luck}",
            "{charm}灵得很，{who}戴上{time}就{luck}", "{charm}戴着，{ward}，财运也跟着来"),
    ],
    "efficacy_guarantee": [
        *_gx2("{cosm}用下去，{effect}", "{any}{effect}，没有例外", "{who}用了{cosm}{time}，{effect}", "{food}谁吃谁瘦，{effect}",
            "{cosm}涂上去{time}，脸上干干净净，{effect}", "{fill}{any}，{effect}，不灵你来找我"),
    ],
    "medical_claim": [
        *_gx2("{who}{disease}好多年，吃了{food}{time}，{med_paraphrase}", "{food}就是{disease}的克星，{med_paraphrase}",
            "{disease}不用去医院了，{food}吃着就行", "医院看不好的{disease}，{food}给调过来了",
            "{disease}的{who}喝{food}，{med_paraphrase}", "{fill}有{disease}的吃{food}{time}，{med_paraphrase}"),
    ],
}

# Chat questions answered with a promise: the same read-out frame as the honest answers above, so the model
# has to learn the answer's stance, not the question.
EXTRA_POSITIVE["education_guarantee"].append(_gx(
    "{asker}{exam}能不能过，我直接告诉你，跟着{course}学肯定能过", "{asker}报了能不能上岸，放一百个心，上岸{sure}",
    "{asker}基础差能不能考上，能，{cohort}{allpass}", "{asker}万一考不过怎么办，{refund}，你怕什么"))
EXTRA_POSITIVE["investment_guarantee"].append(_gx(
    "{asker}会不会亏，我跟你说，亏不了，{cover}", "{asker}一年能赚多少，{pct}，这是保底的", "{asker}{invest}稳不稳，{wait}，{cover}",
    "{asker}钱放进来安不安全，{cover}，收益一分不少"))
EXTRA_POSITIVE["medical_endorsement"].append(_gx(
    "{asker}是不是医生推荐的，对，{medp}都在用", "{asker}靠不靠谱，{hosp}都在用，你说呢",
    "{asker}有没有医院认可，{medp}自己都{stock}", "{asker}{any}是不是真的好，问问医院的大夫，都说好"))
EXTRA_POSITIVE["state_endorsement"].append(_gx(
    "{asker}这个是不是特供的，是的，以前只给{vip}", "{asker}{food}什么来头，{stplace}{stuse}",
    "{asker}凭什么卖这么贵，因为是{stplace}特供的，领导都喝"))
EXTRA_POSITIVE["superstition"].append(_gx(
    "{asker}{charm}灵不灵，{who}戴了{luck}", "{asker}{charm}摆哪里好，放{spot}，{gain}", "{asker}给孩子戴什么好，{amulet}，{ward}",
    "{asker}有没有用，太有用了，{who}请回去{gain}"))
EXTRA_POSITIVE["efficacy_guarantee"].append(_gx(
    "{asker}吃多久能瘦，{time}瘦{jin}，保证的", "{asker}用几天能白，{time}就白一个度，不白退款",
    "{asker}{cosm}管不管用，{effect}", "{asker}会不会反弹，永远不反弹，放心"))
EXTRA_POSITIVE["medical_claim"].append(_gx(
    "{asker}{disease}能不能吃，能，吃{time}{med_paraphrase}", "{asker}{disease}有没有用，{who}吃了{time}，{med_paraphrase}",
    "{asker}{disease}吃了会不会好，肯定好，{med_paraphrase}"))
EXTRA_POSITIVE["price_claim"] = [_gx(
    "{any}{refword}{bigp}，{livew}{smallp}", "{refword}{bigp}的{any}，{livew}{smallp}，{fill}赶紧拍",
    "{fill}{any}{refword}都是{bigp}，{livew}{smallp}", "{any}{refword}要{bigp}，{livew}{smallp}包邮到家")]

EXTRA_BENIGN: list[Gen] = [
    # generic host talk around innocent cue words
    *_gx2("{generic}，{cue_benign}", "{cue_benign}，{generic}", "{fill}{cue_benign}", "{generic}，{fill}{cue_benign}，{generic}"),
    # product names that contain cue words (祛斑霜, 生发液, 降压仪…) in plain shop talk
    *_gx2("{cosm}{spec}", "{cuename}{spec}", "{fill}{cuename}，{spec}", "{cuename}{generic}，{spec}"),
    # risk warnings, disclaimers
    *_gx2("{invest}{fill}{risk}", "{risk}，{risk}", "说到{invest}，{risk}", "{fill}{risk}，大家自己判断",
        "{course}{edu_caveat}", "{edu_caveat}，{edu_caveat}", "{any}{eff_caveat}", "{eff_caveat}，{fill}理性下单",
        "{invest}的收益不固定，{risk}", "我得提醒一句，{risk}"),
    # chat questions read out, honest answers
    *_gx2("{asker}{ask}，{answer}", "{asker}{ask}啊，{fill}{answer}", "那个问{ask}的宝宝，{answer}", "{ask}？{answer}",
        "{asker}{any}{ask}，{answer}", "{asker}{ask}，{answer}，{eff_caveat}"),
    # general health advice, no product endorsed
    *_gx2("{symptom}{advice}", "{symptom}{fill}{advice}", "{doc}建议{habit}", "{doc}一直跟我说要{habit}",
        "{doc}说{habit}，大家也注意一下", "{symptom}不要拖，{advice}", "我上次去医院，{doc}就让我{habit}",
        "换季了，{habit}，{symptom}{advice}"),
    # refutations
    *_gx2("不是说用了{any}就{notclaim}，它就是{plain}", "别指望{any}能让你{notclaim}，它只是{plain}",
        "有人说{any}能让人{notclaim}，没有的事，它就是{plain}", "说{any}能让你{notclaim}的都是瞎说，它就是{plain}",
        "{fill}我从来没说过{any}能让你{notclaim}", "你们别误会，{any}不会让你{notclaim}，就是{plain}"),
    # size / fit with 斤
    *_gx2("{height}{weight}穿{size}刚好", "{weight}以内的宝宝拍{size}", "{weight}到{weight}的选{size}", "{part_fit}是松紧的，胖{small}也能穿",
        "我{weight}，穿{size}有点宽松", "模特{height}，{weight}，穿的{size}", "{weight}以上的建议拍{size}", "{height}的个子，{weight}上下，选{size}准没错", "{fill}偏胖一点的，{weight}的穿{size}也不紧",
        "{part_fit}有弹力，重了{small}照样穿", "{fill}体重{weight}的拍{size}，不合适包退换", "我最近胖了{small}，{size}还能穿进去"),
]


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
    rng2 = random.Random(seed + 1)  # the paraphrase / hard-benign layer, numbered after the generators above
    for cat, gens in EXTRA_POSITIVE.items():
        for gi, gen in enumerate(gens, start=len(POSITIVE[cat])):
            for _ in range(n_pos_per_gen):
                t = wrap(rng2, gen(rng2))
                if rng2.random() < 0.15:
                    t = evade(rng2, t)
                add(t, 1, cat, f"tpl:{cat}:{gi}")
    for gi, gen in enumerate(EXTRA_BENIGN, start=len(BENIGN)):
        for _ in range(n_benign_per_gen * 5 // 8):  # each phenomenon has two generators
            add(wrap(rng2, gen(rng2)), 0, None, f"tpl:benign:{gi}")
    hand = OUT / "handwritten.jsonl"
    if hand.exists():
        for r in read_jsonl(hand):
            add(r["text"], int(r["label"]), r.get("category"), "hand")
    for path in sorted((OUT / "written").glob("*.jsonl")):
        for r in read_jsonl(path):
            add(r["text"], int(r["label"]), r.get("category"), f"written:{path.stem}")
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
