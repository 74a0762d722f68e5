"""The words of eligibility: qualifications an enterprise may hold, sizes, the sections of
GB/T 4754-2017 (国民经济行业分类) and the yearly figures a condition may set a threshold on."""

from approvals.i18n import N_

QUALIFICATIONS = {
    "high_tech": N_("高新技术企业"),
    "tech_sme": N_("科技型中小企业"),
    "specialised_sme": N_("专精特新中小企业"),
    "little_giant": N_("专精特新“小巨人”企业"),
    "tech_centre": N_("省级企业技术中心"),
    "innovative_sme": N_("创新型中小企业"),
}

# 大型/中型/小型/微型 (工信部联企业〔2011〕300号), largest first: the order "nearly" reads.
SIZES = {
    "large": N_("大型"),
    "medium": N_("中型"),
    "small": N_("小型"),
    "micro": N_("微型"),
}

# The sections (门类) of GB/T 4754-2017; a condition may name a section ("C") or a division
# within it ("C35", 大类), and an enterprise's code ("C3511") matches by prefix.
INDUSTRY_SECTIONS = {
    "A": N_("农、林、牧、渔业"),
    "B": N_("采矿业"),
    "C": N_("制造业"),
    "D": N_("电力、热力、燃气及水生产和供应业"),
    "E": N_("建筑业"),
    "F": N_("批发和零售业"),
    "G": N_("交通运输、仓储和邮政业"),
    "H": N_("住宿和餐饮业"),
    "I": N_("信息传输、软件和信息技术服务业"),
    "J": N_("金融业"),
    "K": N_("房地产业"),
    "L": N_("租赁和商务服务业"),
    "M": N_("科学研究和技术服务业"),
    "N": N_("水利、环境和公共设施管理业"),
    "O": N_("居民服务、修理和其他服务业"),
    "P": N_("教育"),
    "Q": N_("卫生和社会工作"),
    "R": N_("文化、体育和娱乐业"),
    "S": N_("公共管理、社会保障和社会组织"),
    "T": N_("国际组织"),
}
# A few divisions the demo's clauses name; others are shown by their code alone.
INDUSTRY_DIVISIONS = {
    "C26": N_("化学原料和化学制品制造业"),
    "C34": N_("通用设备制造业"),
    "C35": N_("专用设备制造业"),
    "C38": N_("电气机械和器材制造业"),
    "C39": N_("计算机、通信和其他电子设备制造业"),
    "I65": N_("软件和信息技术服务业"),
    "M73": N_("研究和试验发展"),
}

# The yearly figures (年度数据) of the profile, in yuan.
FIGURES = {
    "rd_spend": N_("研发投入"),
    "revenue": N_("营业收入"),
    "investment": N_("固定资产投资"),
}


def industry_label(code: str) -> str:
    """ "C35 专用设备制造业", "C 制造业", or the code alone."""
    name = INDUSTRY_DIVISIONS.get(code) or INDUSTRY_SECTIONS.get(code)
    return f"{code} {name}" if name else code
