"""Every consistency rule, as a specification: a small bad input and the exact message it earns.

Each case replaces one or two sections of the minimal valid unit in unitfile.BASE. The line the
message must point at is marked `# <-` in the case's own YAML.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from typer.testing import CliRunner

from narrate import checks
from narrate.cli import app
from unitfile import BASE, check, marked_line, unit_yaml


@dataclass(frozen=True)
class Case:
    rule: str
    sections: tuple[str, ...]
    severity: str = ""
    message: str = ""  # "field: message"; empty when the rule must stay silent
    also: tuple[tuple[str, str, str], ...] = ()  # (severity, rule, message) at the same line

    @property
    def text(self) -> str:
        return unit_yaml(*self.sections)

    def expected(self) -> list[tuple[str, str, str]]:
        if not self.message:
            return []
        line = marked_line(self.text)
        return [
            (severity, rule, f"unit.yaml:{line}: {message}")
            for severity, rule, message in ((self.severity, self.rule, self.message), *self.also)
        ]


def fires(rule: str, severity: str, message: str, *sections: str, also=()) -> Case:
    return Case(rule, sections, severity, message, also)


def silent(rule: str, *sections: str) -> Case:
    return Case(rule, sections)


# The English of every text of unitfile.BASE but its 主要用途 (the untranslated cases).
ENGLISH = """
英文译文:
  运维项目: Maintenance
  产出指标: Output
  数量指标: Quantity
  维护系统数: Systems maintained
  "=3个": "= 3"
  履职效能: Performance of duties
  系统数: Systems
单位:
  名称: 测试中心
  英文名称: Test Center
  年度: 2024
"""

CASES = {
    # 收入总计 = 支出总计, for each source and for the total.
    "balance: a source's income differs from what it pays for": fires(
        "balance", "error",
        "收入.一般公共预算: 收入表“一般公共预算”填写 121.00 万元，与支出中该来源合计 120.00 万元不符",
        """
        收入:
          一般公共预算: 121.00  # <-
        """,
    ),
    "balance: the typed income total differs from total expenditure": fires(
        "balance", "error",
        "收入.合计: 收入合计填写 119.50 万元，与支出总计 120.00 万元不符",
        """
        收入:
          一般公共预算: 120.00
          合计: 119.50  # <-
        """,
    ),
    "balance: last year's inline figures are balanced too": fires(
        "balance", "error",
        "上年.收入.一般公共预算: 收入表“一般公共预算”填写 100.00 万元，与支出中该来源合计 120.00 万元不符",
        """
        上年:
          收入: {一般公共预算: 100.00}  # <-
          支出:
            - 科目: 2010504
              一般公共预算: {人员经费: 80.00, 公用经费: 10.00, 项目支出: 30.00}
          三公经费: {公务接待: 1.00, 公务用车运行: 2.00}
          机关运行经费: 10.00
        """,
    ),
    "balance: income left out is computed, not checked": silent(
        "balance",
        """
        收入: {}
        """,
    ),
    "income-detail: 单位资金 differs from the sum of its kinds": fires(
        "income-detail", "error",
        "收入.单位资金明细: 单位资金明细合计 4.00 万元，与单位资金 5.00 万元不符",
        """
        收入:
          一般公共预算: 120.00
          单位资金: 5.00
          单位资金明细: {事业收入: 3.00, 其他收入: 1.00}  # <-
        """,
        """
        支出:
          - 科目: 2010504
            一般公共预算: {人员经费: 80.00, 公用经费: 10.00, 项目支出: 30.00}
            单位资金: {公用经费: 5.00}
        """,
        """
        变动原因:
          收入.单位资金: 新增事业收入
        """,
    ),
    "income-detail: kinds that add up": silent(
        "income-detail",
        """
        收入:
          一般公共预算: 120.00
          单位资金明细: {事业收入: 3.00, 其他收入: 2.00}
        """,
        """
        支出:
          - 科目: 2010504
            一般公共预算: {人员经费: 80.00, 公用经费: 10.00, 项目支出: 30.00}
            单位资金: {公用经费: 5.00}
        """,
        """
        变动原因:
          收入.单位资金: 新增事业收入
        """,
    ),
    "cell-basic: a typed 基本支出 differs from 人员经费 + 公用经费": fires(
        "cell-basic", "error",
        "支出[1].一般公共预算.基本支出: 基本支出填写 91.00 万元，与人员经费 + 公用经费 = 90.00 万元不符",
        """
        支出:
          - 科目: 2010504
            一般公共预算:
              {人员经费: 80.00, 公用经费: 10.00, 基本支出: 91.00, 项目支出: 30.00}  # <-
        """,
    ),
    "cell-basic: a typed 基本支出 that adds up": silent(
        "cell-basic",
        """
        支出:
          - 科目: 2010504
            一般公共预算: {人员经费: 80.00, 公用经费: 10.00, 基本支出: 90.00, 项目支出: 30.00}
        """,
    ),
    "basic-economic: personnel classes differ from 人员经费 of the lines": fires(
        "basic-economic", "error",
        "基本支出经济分类: 基本支出经济分类中人员经费（301、303 类）合计 79.00 万元，与支出表一般公共预算人员经费 80.00 万元不符",
        """
        基本支出经济分类:  # <-
          - {科目: 30101, 金额: 79.00}
          - {科目: 30201, 金额: 10.00}
        """,
    ),
    "basic-economic: public classes differ from 公用经费 of the lines": fires(
        "basic-economic", "error",
        "基本支出经济分类: 基本支出经济分类中公用经费合计 10.50 万元，与支出表一般公共预算公用经费 10.00 万元不符",
        """
        基本支出经济分类:  # <-
          - {科目: 30101, 金额: 80.00}
          - {科目: 30201, 金额: 10.50}
        """,
    ),
    "basic-economic: 303 counts as personnel": silent(
        "basic-economic",
        """
        基本支出经济分类:
          - {科目: 30101, 金额: 75.00}
          - {科目: 30302, 金额: 5.00}
          - {科目: 30201, 金额: 10.00}
        """,
    ),
    "project-list: a line's 项目支出 differs from its projects": fires(
        "project-list", "error",
        "支出[1].一般公共预算.项目支出: 科目 2010504（一般公共预算）的项目支出为 30.00 万元，与项目清单合计 31.00 万元不符",
        """
        项目:
          - 名称: 运维项目
            科目: 2010504
            经济分类: {302: 31.00}
            绩效目标:
              指标:
                - {一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 维护系统数, 指标值: "=3个", 分值: 90}
        """,
        """
        支出:
          - 科目: 2010504
            一般公共预算: {人员经费: 80.00, 公用经费: 10.00, 项目支出: 30.00}  # <-
        """,
    ),
    "project-amount: a typed 金额 differs from its economic classes": fires(
        "project-amount", "error",
        "项目[1].金额: 项目金额填写 31.00 万元，与经济分类合计 30.00 万元不符",
        """
        项目:
          - 名称: 运维项目
            科目: 2010504
            经济分类: {302: 20.00, 310: 10.00}
            金额: 31.00  # <-
            绩效目标:
              指标:
                - {一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 维护系统数, 指标值: "=3个", 分值: 90}
        """,
    ),
    "three-public: total differs from 出国 + 接待 + 公车小计": fires(
        "three-public", "error",
        "三公经费.合计: “三公”经费合计填写 4.00 万元，与出国 + 接待 + 公务用车 = 3.00 万元不符",
        """
        三公经费:
          公务接待: 1.00
          公务用车运行: 2.00
          合计: 4.00  # <-
        """,
    ),
    "three-public: 公车小计 differs from 购置 + 运行": fires(
        "three-public", "error",
        "三公经费.公务用车小计: 公务用车小计填写 2.50 万元，与购置 + 运行 = 2.00 万元不符",
        """
        三公经费:
          公务接待: 1.00
          公务用车运行: 2.00
          公务用车小计: 2.50  # <-
        """,
    ),
    "three-public: typed totals that add up": silent(
        "three-public",
        """
        三公经费: {因公出国境: 0.50, 公务接待: 1.00, 公务用车购置: 0.25, 公务用车运行: 2.00, 公务用车小计: 2.25, 合计: 3.75}
        """,
        """
        变动原因:
          三公经费.因公出国境: 新增出访任务
          三公经费.公务用车购置: 更新一辆公务用车
        """,
    ),
    "operating-cost: 机关运行经费 differs from basic 公用经费 (a warning)": fires(
        "operating-cost", "warning",
        "机关运行经费: 机关运行经费填写 9.00 万元，与一般公共预算基本支出中的公用经费 10.00 万元不符（行政单位和参公单位两者应相等）",
        """
        机关运行经费: 9.00  # <-
        """,
        """
        变动原因:
          机关运行经费: 压减会议费
        """,
    ),
    "procurement: total differs from 货物 + 工程 + 服务": fires(
        "procurement", "error",
        "政府采购.合计: 政府采购合计填写 7.00 万元，与货物 + 工程 + 服务 = 6.00 万元不符",
        """
        政府采购:
          货物: 5.00
          服务: 1.00
          合计: 7.00  # <-
        """,
    ),
    "procurement: the SME reservation exceeds the total": fires(
        "procurement", "error",
        "政府采购.面向中小企业预留: 面向中小企业预留 6.50 万元，超过政府采购预算 6.00 万元",
        """
        政府采购:
          货物: 5.00
          服务: 1.00
          面向中小企业预留: 6.50  # <-
          其中小微企业预留: 3.00
        """,
    ),
    "procurement: the small/micro reservation exceeds the SME one": fires(
        "procurement", "error",
        "政府采购.其中小微企业预留: 小微企业预留 4.50 万元，超过面向中小企业预留 4.00 万元",
        """
        政府采购:
          货物: 5.00
          服务: 1.00
          面向中小企业预留: 4.00
          其中小微企业预留: 4.50  # <-
        """,
    ),
    "procurement: reservations equal to their ceiling are fine": silent(
        "procurement",
        """
        政府采购: {货物: 6.00, 面向中小企业预留: 6.00, 其中小微企业预留: 6.00}
        """,
    ),
    "vehicles: the typed count differs from the kinds": fires(
        "vehicles", "error",
        "国有资产.车辆.合计.数量: 车辆合计填写 3 辆，与各类车辆之和 2 辆不符",
        """
        国有资产:
          车辆:
            一般公务用车: {数量: 1, 价值: 20.00}
            执法执勤用车: {数量: 1, 价值: 15.00}
            合计:
              数量: 3  # <-
              价值: 35.00
        """,
    ),
    "vehicles: the typed value differs from the kinds": fires(
        "vehicles", "error",
        "国有资产.车辆.合计.价值: 车辆价值合计填写 30.00 万元，与各类车辆价值之和 35.00 万元不符",
        """
        国有资产:
          车辆:
            一般公务用车: {数量: 1, 价值: 20.00}
            其他车辆: {数量: 1, 价值: 15.00}
            合计:
              数量: 2
              价值: 30.00  # <-
        """,
    ),
    "vehicles: a kind the profile does not name": fires(
        "vehicles", "error",
        "国有资产.车辆.一般公务车: 车型“一般公务车”不在本格式的车型中（一般公务用车、执法执勤用车、其他车辆）；是否应为“一般公务用车”？",
        """
        国有资产:
          车辆:
            一般公务车: {数量: 1, 价值: 20.00}  # <-
        """,
    ),
    "vehicles: kinds the profile names are fine": silent(
        "vehicles",
        """
        国有资产:
          车辆:
            一般公务用车: {数量: 1, 价值: 20.00}
          本年购置车辆: {执法执勤用车: 1}
        """,
    ),
    "totals-key: a 合计数 key names no figure": fires(
        "totals-key", "error",
        "上年预算执行数.合计数.收入.财政拨: 合计数的键“收入.财政拨”不对应任何数字；是否应为“收入.财政拨款”？",
        """
        上年预算执行数:
          合计数:
            收入.财政拨: 100.00  # <-
        """,
    ),
    "totals-key: a set given as totals only is not a balance error": silent(
        "totals-key",
        """
        上年预算执行数:
          收入: {一般公共预算: 100.00}
          合计数: {收入.财政拨款: 100.00}
        """,
    ),
    "staffing: 实有人数 differs from 在职 + 退休 + 离休": fires(
        "staffing", "error",
        "人员.实有人数: 实有人数填写 10 人，与在职 + 退休 + 离休 = 9 人不符",
        """
        人员:
          编制数: 10
          实有人数: 10  # <-
          在职: 8
          退休: 1
        """,
    ),
    "staffing: 离休 counts in 实有人数": silent(
        "staffing",
        """
        人员: {编制数: 10, 实有人数: 10, 在职: 8, 退休: 1, 离休: 1}
        """,
    ),
    "staffing-posts: more staff in post than 编制数 (a hint)": fires(
        "staffing-posts", "hint",
        "人员.在职: 在职人数 11 人，超过编制数 10",
        """
        人员:
          编制数: 10
          在职: 11  # <-
        """,
    ),
    "performance: indicator weights do not add up to 90": fires(
        "performance", "warning",
        "整体绩效.指标: 绩效指标分值合计为 85，应为 90",
        """
        整体绩效:
          指标:  # <-
            - {一级指标: 履职效能, 二级指标: 数量指标, 三级指标: 系统数, 指标值: "=3个", 分值: 45}
            - {一级指标: 满意度, 二级指标: 满意度指标, 三级指标: 满意度, 指标值: "≥95%", 分值: 40}
        """,
    ),
    "performance: a project without a performance table": fires(
        "performance", "warning",
        "项目[1].名称: 项目“运维项目”没有绩效目标表",
        """
        项目:
          - 名称: 运维项目  # <-
            科目: 2010504
            经济分类: {302: 30.00}
        """,
    ),
    "performance: fractional weights that add up to 90": silent(
        "performance",
        """
        整体绩效:
          指标:
            - {一级指标: 履职效能, 二级指标: 数量指标, 三级指标: 系统数, 指标值: "=3个", 分值: 44.5}
            - {一级指标: 满意度, 二级指标: 满意度指标, 三级指标: 满意度, 指标值: "≥95%", 分值: 45.5}
        """,
    ),
    "carryover: the carry-over table differs from spending of carried-over funds": fires(
        "carryover", "error",
        "上年结转结余: 上年结转结余明细表中财政拨款合计 5.00 万元，与支出中上年财政拨款结转 0.00 万元不符",
        """
        上年结转结余:  # <-
          - {名称: 网络改造, 财政拨款: {项目支出: 5.00}}
        """,
    ),
    "carryover: the non-fiscal half is compared separately": fires(
        "carryover", "error",
        "上年结转结余: 上年结转结余明细表中非财政拨款合计 1.00 万元，与支出中上年非财政拨款结余 2.00 万元不符",
        """
        上年结转结余:  # <-
          - {名称: 办公设备维护, 非财政拨款: {公用经费: 1.00}}
        """,
        """
        支出:
          - 科目: 2010504
            一般公共预算: {人员经费: 80.00, 公用经费: 10.00, 项目支出: 30.00}
            上年结余单位资金: {公用经费: 2.00}
        """,
        """
        收入: {一般公共预算: 120.00}
        """,
        """
        变动原因:
          收入.上年结余单位资金: 上年单位资金结余用于办公设备维护
        """,
    ),
    "reason-missing: a rise of exactly 10% without a reason (a warning)": fires(
        "reason-missing", "warning",
        # The warning points at the figure that changed, not at the 变动原因 section.
        "三公经费.公务接待: 三公经费.公务接待 比上年增加 0.10 万元（10.00%），请在“变动原因”中说明原因",
        """
        三公经费: {公务接待: 1.10, 公务用车运行: 1.00}  # <-
        """,
        """
        变动原因:
          三公经费.公务用车运行: 车辆报废一辆
        """,
    ),
    "reason-missing: a fall of 10% or more without a reason": fires(
        "reason-missing", "warning",
        "三公经费.公务用车运行: 三公经费.公务用车运行 比上年减少 1.00 万元（50.00%），请在“变动原因”中说明原因",
        """
        三公经费: {公务接待: 1.00, 公务用车运行: 1.00}  # <-
        """,
    ),
    "reason-missing: a line new this year without a reason": fires(
        "reason-missing", "warning",
        "三公经费.因公出国境: 三公经费.因公出国境 上年未安排、本年 0.80 万元，请在“变动原因”中说明原因",
        """
        三公经费: {因公出国境: 0.80, 公务接待: 1.00, 公务用车运行: 2.00}  # <-
        """,
        """
        变动原因: {}
        """,
    ),
    "reason-missing: a change under 10% needs no reason": silent(
        "reason-missing",
        """
        三公经费: {公务接待: 1.09, 公务用车运行: 2.00}
        """,
    ),
    "reason-missing: a large change with its reason": silent(
        "reason-missing",
        """
        三公经费: {公务接待: 1.00, 公务用车运行: 1.00}
        """,
        """
        变动原因:
          三公经费.公务用车运行: 车辆报废一辆
        """,
    ),
    "reason-direction: a reason that only speaks of an increase beside a decrease": fires(
        "reason-direction", "warning",
        "变动原因.三公经费.公务用车运行: 三公经费.公务用车运行 比上年减少，但所填原因只说“增加”，请核对原因是否还对得上",
        """
        三公经费: {公务接待: 1.00, 公务用车运行: 1.00}
        """,
        """
        变动原因:
          三公经费.公务用车运行: 新购车辆，运行费用增加  # <-
        """,
    ),
    "reason-direction: a reason that names the change's own direction": silent(
        "reason-direction",
        """
        三公经费: {公务接待: 1.00, 公务用车运行: 1.00}
        """,
        """
        变动原因:
          三公经费.公务用车运行: 车辆报废一辆，运行费用减少
        """,
    ),
    "reason-unneeded: a reason on an unchanged line (a hint)": fires(
        "reason-unneeded", "hint",
        "变动原因.三公经费.公务接待: 三公经费.公务接待 与上年相比没有变化，所填原因不会用到",
        """
        变动原因:
          三公经费.公务接待: 厉行节约  # <-
        """,
    ),
    "reason-unneeded: a reason on a line neither year arranges": fires(
        "reason-unneeded", "hint",
        "变动原因.三公经费.因公出国境: 三公经费.因公出国境 与上年相比没有变化，所填原因不会用到",
        """
        变动原因:
          三公经费.因公出国境: 未安排  # <-
        """,
    ),
    "reason-key: a key that names no figure, with the nearest one": fires(
        "reason-key", "error",
        "变动原因.三公经费.公务招待: 变动原因的键“三公经费.公务招待”不对应任何数字；是否应为“三公经费.公务接待”？",
        """
        变动原因:
          三公经费.公务招待: 厉行节约  # <-
        """,
    ),
    "reason-key: a key like nothing known": fires(
        "reason-key", "error",
        "变动原因.xyz: 变动原因的键“xyz”不对应任何数字；可用的键见 docs/input-format.md",
        """
        变动原因:
          xyz: 厉行节约  # <-
        """,
    ),
    "reason-key: a bare code is not a key": fires(
        "reason-key", "error",
        "变动原因.2010504: 变动原因的键“2010504”不对应任何数字；是否应为“一般公共预算.2010504”？",
        """
        变动原因:
          2010504: 人员增加  # <-
        """,
    ),
    "split-missing: 基本支出 without its split where the profile needs it": fires(
        "split-missing", "error",
        "支出[1].一般公共预算.基本支出: 本格式要求把基本支出分为“人员经费”和“公用经费”填写",
        """
        支出:
          - 科目: 2010504
            一般公共预算: {基本支出: 90.00, 项目支出: 30.00}  # <-
        """,
    ),
    "own-fields: a figure of a field the profile does not declare": fires(
        "own-fields", "error",
        "格式金额.会议费: 格式没有名为“会议费”的字段；格式的字段：-",
        """
        格式金额:
          会议费: 3.00  # <-
        """,
    ),
    "uses: 主要用途 for a 类 the general budget does not spend on": fires(
        "uses", "warning",
        "主要用途.208: 主要用途的科目 208 不是本年一般公共预算支出中的“类”",
        """
        主要用途:
          201: 人员工资和系统运维
          208: 养老保险缴费  # <-
        """,
    ),
    # Codes are resolved against the catalogs while loading (load/codes.py).
    "code-unknown: an unknown code without a name, with the nearest known codes": fires(
        "code-unknown", "error",
        "基本支出经济分类[2].科目: 科目 30250 不在分类目录中，也没有给出名称；相近的科目：30240 税金及附加费用、30225 专用燃料费、30220 工程建设费",
        """
        基本支出经济分类:
          - {科目: 30101, 金额: 80.00}
          - {科目: 30250, 金额: 10.00}  # <-
        """,
    ),
    "code-unknown: a project's economic class must be a 类": fires(
        "code-unknown", "error",
        "项目[1].经济分类.30201: 经济分类应为“类”级科目（3 位，如 302），实际为“30201”",
        """
        项目:
          - 名称: 运维项目
            科目: 2010504
            经济分类: {30201: 30.00}  # <-
            绩效目标:
              指标:
                - {一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 维护系统数, 指标值: "=3个", 分值: 90}
        """,
    ),
    "code-unknown: a 项 under a 款 the catalog lacks": fires(
        "code-unknown", "error",
        "支出[2].科目: 科目 2019801 的上级科目 20198 不在分类目录中；请在自定义目录文件中补充 20198 的名称",
        """
        支出:
          - 科目: 2010504
            一般公共预算: {人员经费: 80.00, 公用经费: 10.00, 项目支出: 30.00}
          - 科目: 2019801  # <-
            名称: 测试事务
            一般公共预算: {项目支出: 0}
        """,
        also=(("warning", "code-unlisted", "支出[2].科目: 科目 2019801“测试事务”不在内置分类目录中，按所填名称使用；可在自定义目录中补充"),),
    ),
    "code-unlisted: an unknown code with its name is used (a warning)": fires(
        "code-unlisted", "warning",
        "支出[2].科目: 科目 2010599“其他统计信息事务支出”不在内置分类目录中，按所填名称使用；可在自定义目录中补充",
        """
        支出:
          - 科目: 2010504
            一般公共预算: {人员经费: 80.00, 公用经费: 10.00, 项目支出: 30.00}
          - 科目: 2010599  # <-
            名称: 其他统计信息事务支出
            一般公共预算: {项目支出: 0}
        """,
    ),
    "code-name-mismatch: a name that contradicts the catalog": fires(
        "code-name-mismatch", "error",
        "基本支出经济分类[1].名称: 科目 30101 的名称应为“基本工资”，实际填写“津贴补贴”",
        """
        基本支出经济分类:
          - {科目: 30101, 名称: 津贴补贴, 金额: 80.00}  # <-
          - {科目: 30201, 金额: 10.00}
        """,
    ),
    "code-name-mismatch: brackets and spaces do not count": silent(
        "code-name-mismatch",
        """
        支出:
          - 科目: 2010504
            名称: 信息 事务
            一般公共预算: {人员经费: 80.00, 公用经费: 10.00, 项目支出: 30.00}
        """,
    ),
    "code-duplicate: the same code on two lines": fires(
        "code-duplicate", "error",
        "基本支出经济分类[2].科目: 科目 30101 重复出现（另见第 1 项），每个科目只填一行",
        """
        基本支出经济分类:
          - {科目: 30101, 金额: 40.00}
          - {科目: 30101, 金额: 40.00}  # <-
          - {科目: 30201, 金额: 10.00}
        """,
    ),
    # An English document (a profile whose language is en) prints in Chinese what has no English.
    "untranslated: a text of the officer's without its English (a hint)": fires(
        "untranslated", "hint",
        "主要用途.201: “人员工资和系统运维”没有英文译文，英文文档中照印中文；可在英文译文中补上",
        """
        格式: xj-unit-en
        """,
        ENGLISH,
        """
        主要用途:
          201: 人员工资和系统运维  # <-
        """,
    ),
    "untranslated: a Chinese document needs no English": silent(
        "untranslated",
        """
        主要用途:
          201: 人员工资和系统运维
        """,
    ),
    "translations-file: the English of an English document is missing": fires(
        "translations-file", "warning",
        "英文译文: 英文译文文件不存在：无此文件.yaml；英文文档中自己写的文字将照印中文",
        """
        格式: xj-unit-en
        英文译文: 无此文件.yaml  # <-
        """,
    ),
    # final accounts (决算): final_checks.py
    "final-balance: income and the opening balance against spending and the closing balance": fires(
        "final-balance", "error",
        "决算.结转结余: 收入支出决算总表不平：收入方（本年收入 + 使用非财政拨款结余 + 年初结转和结余）121.00 万元，"
        "支出方（本年支出 + 结余分配 + 年末结转和结余）120.00 万元",
        """
        公开类型: 决算
        决算:
          收入: [{科目: 2010504, 一般公共预算: 120.00}]
          结转结余: {年初结转和结余: 1.00}  # <-
        """,
    ),
    "final-balance: a budget has no balances to check": silent(
        "final-balance",
        """
        收入:
          一般公共预算: 120.00
        """,
    ),
    "final-income: an income line given twice": fires(
        "final-income", "error",
        "决算.收入[2].科目: 科目 2010504 的收入已经填写过一行",
        """
        公开类型: 决算
        决算:
          收入:
            - {科目: 2010504, 一般公共预算: 60.00}
            - {科目: 2010504, 一般公共预算: 60.00}  # <-
        """,
    ),
    "final-balance-lines: a budget's total typed beside its lines differs from their sum": fires(
        "final-balance-lines", "error",
        "决算.结转结余.年初财政拨款结转和结余.一般公共预算: 年初财政拨款结转和结余.一般公共预算：填写 6.00 万元，"
        "财政拨款结转和结余明细各科目相加 5.00 万元，两者不符（有明细时可不填合计）",
        """
        公开类型: 决算
        决算:
          收入: [{科目: 2010504, 一般公共预算: 120.00}]
          结转结余:
            年初结转和结余: 5.00
            年末结转和结余: 5.00
            年初财政拨款结转和结余: {一般公共预算: 6.00}  # <-
          财政拨款结转和结余明细:
            - {科目: 2010504, 一般公共预算: {年初结转和结余: 5.00, 年末结转和结余: 5.00}}
        """,
    ),
    "final-balance-lines: a line that took in 118.00, spent 120.00 and so carries 2.00 of its 4.00 over": silent(
        "final-balance-lines",
        """
        公开类型: 决算
        决算:
          收入: [{科目: 2010504, 一般公共预算: 118.00}]
          结转结余: {年初结转和结余: 4.00, 年末结转和结余: 2.00, 年初财政拨款结转和结余: {一般公共预算: 4.00}}
          财政拨款结转和结余明细:
            - {科目: 2010504, 一般公共预算: {年初结转和结余: 4.00, 年末结转和结余: 2.00}}
        """,
    ),
    "final-reason: an actual below its budget needs the reason": fires(
        "final-reason", "warning",
        "决算: 一般公共预算.合计 决算数 120.00 万元小于年初预算 130.00 万元（少 10.00 万元），请在“决算”的“预决算差异原因”中说明原因",
        """
        格式: sh-unit-final
        公开类型: 决算
        国有资产: {}
        年初预算:
          支出: [{科目: 2010504, 一般公共预算: {基本支出: 90.00, 项目支出: 40.00}}]
          三公经费: {公务接待: 1.00, 公务用车运行: 2.00}
        决算:  # <-
          收入: [{科目: 2010504, 一般公共预算: 120.00}]
        """,
        also=(("warning", "final-reason",
               "决算: 一般公共预算.2010504 决算数 120.00 万元小于年初预算 130.00 万元（少 10.00 万元），请在“决算”的“预决算差异原因”中说明原因"),),
    ),
    "final-reason-key: a reason for a figure narrate does not compute": fires(
        "final-reason-key", "error",
        "决算.预决算差异原因.一般公共预算.合共: “预决算差异原因”中的“一般公共预算.合共”不是 narrate 计算的数字；是否指“一般公共预算.合计”？",
        """
        公开类型: 决算
        决算:
          收入: [{科目: 2010504, 一般公共预算: 120.00}]
          预决算差异原因:
            一般公共预算.合共: 少用  # <-
        """,
    ),
    "translations-file: a Chinese document does not read it": silent(
        "translations-file",
        """
        英文译文: 无此文件.yaml
        """,
    ),
}


def test_the_baseline_is_clean(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert check(tmp_path, BASE) == []


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_each_rule_names_file_line_field_and_both_numbers(case: Case, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert check(tmp_path, case.text) == case.expected()


def test_every_rule_has_a_case_that_fires_and_most_one_that_does_not():
    fired = {case.rule for case in CASES.values() if case.message}
    assert fired == set(checks.RULES)
    quiet = {case.rule for case in CASES.values() if not case.message}
    assert len(quiet) >= 10


def test_a_rule_finds_every_problem_not_just_the_first(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = unit_yaml(
        """
        政府采购: {货物: 5.00, 合计: 7.00, 面向中小企业预留: 8.00, 其中小微企业预留: 9.00}
        """
    )
    assert [rule for _, rule, _ in check(tmp_path, text)] == ["procurement"] * 3


# narrate.toml beside the input changes severities and adds catalog files.

UNLISTED = """
支出:
  - 科目: 2010504
    一般公共预算: {人员经费: 80.00, 公用经费: 10.00, 项目支出: 30.00}
  - 科目: 2010599
    名称: 其他统计信息事务支出
    一般公共预算: {项目支出: 0}
"""


def test_a_user_catalog_file_teaches_narrate_a_code(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "我的科目.csv").write_text("code,name\n2010599,其他统计信息事务支出\n", encoding="utf-8")
    toml = """
    [catalogs]
    function = ["我的科目.csv"]
    """
    assert check(tmp_path, unit_yaml(UNLISTED), toml) == []


def test_a_user_catalog_name_is_checked_like_a_shipped_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my.csv").write_text("code,name\n2010599,统计其他支出\n", encoding="utf-8")
    problems = check(tmp_path, unit_yaml(UNLISTED), "[catalogs]\nfunction = [\"my.csv\"]\n")
    assert [rule for _, rule, _ in problems] == ["code-name-mismatch"]
    assert "应为“统计其他支出”" in problems[0][2]


@pytest.mark.parametrize(
    "setting, expected",
    [
        ('"error"', [("error", "operating-cost")]),
        ('"hint"', [("hint", "operating-cost")]),
        ('"off"', []),
    ],
)
def test_narrate_toml_changes_a_rules_severity(setting, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = unit_yaml("机关运行经费: 9.00\n", "变动原因: {机关运行经费: 压减会议费}\n")
    problems = check(tmp_path, text, f"[checks]\noperating-cost = {setting}\n")
    assert [(severity, rule) for severity, rule, _ in problems] == expected


# The command line: exit codes follow the severities.

MISSING_REASON = ("三公经费: {公务接待: 1.00, 公务用车运行: 1.00}\n",)


def run_cli(tmp_path, monkeypatch, text: str, *args: str, toml: str | None = None):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "unit.yaml").write_text(text, encoding="utf-8")
    if toml is not None:
        (tmp_path / "narrate.toml").write_text(toml, encoding="utf-8")
    return CliRunner().invoke(app, ["check", "unit.yaml", *args])


def test_warnings_pass_and_list_the_changes_lacking_a_reason(tmp_path, monkeypatch):
    result = run_cli(tmp_path, monkeypatch, unit_yaml(*MISSING_REASON))
    assert result.exit_code == 0
    assert "尚缺变动原因：三公经费.公务用车运行" in result.stdout
    assert "0 个错误，1 个警告，0 个提示" in result.stdout


def test_strict_fails_on_a_warning(tmp_path, monkeypatch):
    result = run_cli(tmp_path, monkeypatch, unit_yaml(*MISSING_REASON), "--strict")
    assert result.exit_code == 1
    assert "--strict：有警告，视为未通过" in result.stderr


def test_strict_passes_a_clean_input(tmp_path, monkeypatch):
    assert run_cli(tmp_path, monkeypatch, BASE, "--strict").exit_code == 0


def test_reason_missing_as_error_makes_check_fail(tmp_path, monkeypatch):
    toml = '[checks]\nreason-missing = "error"\n'
    result = run_cli(tmp_path, monkeypatch, unit_yaml(*MISSING_REASON), toml=toml)
    assert result.exit_code == 1
    assert "[错误 reason-missing]" in result.stderr
    assert "检查未通过：1 个错误，0 个警告，0 个提示" in result.stderr


# 上年文件: last year's own file is read, compared and checked in its own right.

THIS_YEAR = unit_yaml("上年文件: 2023.yaml\n", drop=("上年",))
THREE_PUBLIC_LINE = next(i for i, line in enumerate(THIS_YEAR.splitlines(), 1) if line.startswith("三公经费"))


def test_a_last_year_file_is_compared_line_by_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "2023.yaml").write_text(unit_yaml("三公经费: {公务接待: 2.00, 公务用车运行: 2.00}\n", drop=("上年",)))
    assert check(tmp_path, THIS_YEAR) == [
        ("warning", "reason-missing",
         f"unit.yaml:{THREE_PUBLIC_LINE}: 三公经费.公务接待: 三公经费.公务接待 比上年减少 1.00 万元（50.00%），请在“变动原因”中说明原因"),
    ]


def test_a_last_year_file_must_add_up_itself(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    prior = unit_yaml("人员: {实有人数: 5, 在职: 8, 退休: 1}  # <-\n", drop=("上年",))
    (tmp_path / "2023.yaml").write_text(prior)
    assert check(tmp_path, THIS_YEAR) == [
        ("error", "staffing", f"2023.yaml:{marked_line(prior)}: 人员.实有人数: 实有人数填写 5 人，与在职 + 退休 + 离休 = 9 人不符"),
    ]
