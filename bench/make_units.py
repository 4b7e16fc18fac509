"""Writes N made-up unit input files for the batch bench: the embedded sample, each with its own
name and 3 to 20 projects of its own amounts (the project funds, income and total following, so
every file checks). Seeded: the same N gives the same files.

    python bench/make_units.py FOLDER [--count 1000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import re
from decimal import Decimal
from pathlib import Path

from narrate.resources import sample_input

SAMPLE_PROJECTS = Decimal("93.40")
SAMPLE_INCOME = Decimal("473.87")


def project(n: int, amount: Decimal) -> str:
    return f"""  - 名称: 第{n:02d}号信息化运维项目
    科目: 2010504
    经济分类: {{302: {amount}}}
    政策依据: 根据克财预【2024】{n:03d}号通知
    资金分配: 运维服务{amount}万元
    执行期: 2024年1月1日-2024年12月31日
    负责人: 方长春
    绩效目标:
      总体目标: 保障第{n:02d}号系统全年稳定运行。
      指标:
        - {{一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 运维系统数, 指标值: ">=1个", 设置依据: 计划标准, 分值: 30, 赋分规则: 按照正常比例赋分, 佐证资料: 工作资料}}
        - {{一级指标: 产出指标, 二级指标: 质量指标, 三级指标: 系统可用率, 指标值: ">=99%", 设置依据: 计划标准, 分值: 30, 赋分规则: 按照正常比例赋分, 佐证资料: 工作资料}}
        - {{一级指标: 满意度指标, 二级指标: 满意度指标, 三级指标: 使用部门满意度, 指标值: ">=95%", 设置依据: 计划标准, 分值: 30, 赋分规则: 满意度赋分, 佐证资料: 工作资料}}
"""


def unit(name: str, amounts: list[Decimal]) -> str:
    """The sample under another name, with these projects in place of its three."""
    s = sample_input().read_text(encoding="utf-8")
    total = sum(amounts, Decimal("0"))
    projects = "".join(project(n, a) for n, a in enumerate(amounts, 1))
    s = re.sub(r"\n项目:\n.*?\n\n三公经费:", lambda _: "\n项目:\n" + projects + "\n三公经费:", s, count=1, flags=re.S)
    s = s.replace("公用经费: 13.09, 项目支出: 93.40}", f"公用经费: 13.09, 项目支出: {total}}}", 1)
    s = s.replace(f"  一般公共预算: {SAMPLE_INCOME}", f"  一般公共预算: {SAMPLE_INCOME - SAMPLE_PROJECTS + total}", 1)
    s = s.replace("克孜勒苏柯尔克孜自治州电子政务服务中心", name)
    return re.sub(r"^英文译文:.*\n", "", s, flags=re.M)  # the sample's translations are its own


def write(folder: Path, count: int, seed: int = 1, smallest: int = 3, largest: int = 20) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(1, count + 1):
        amounts = [Decimal(rng.randint(100, 3000)) / 100 for _ in range(rng.randint(smallest, largest))]
        path = folder / f"unit-{i:04d}.yaml"
        path.write_text(unit(f"第{i:04d}号电子政务服务中心", amounts), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    paths = write(args.folder, args.count, args.seed)
    print(f"{len(paths)} units in {args.folder}")


if __name__ == "__main__":
    main()
