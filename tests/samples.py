"""Every shipped sample a page or schema test builds: name -> (input under inputs/, profile or
None for the input's own)."""

SAMPLES = {
    "xj-unit": ("kizilsu-egov-2024.yaml", None),
    "xj-unit-en": ("kizilsu-egov-2024.yaml", "xj-unit-en"),
    "sh-unit": ("putuo-commerce-2025-unit.yaml", None),
    "sh-dept": ("putuo-commerce-2025-dept.yaml", None),
    "sh-dept-2": ("putuo-finance-2025-dept.yaml", None),  # its 选项: another district body's wording
    "sh-unit-2": ("putuo-welfare-home-2024-unit.yaml", None),  # a 事业单位, a year earlier
    "sh-dept-final": ("putuo-finance-2024-final.yaml", None),  # final accounts (决算)
    "sh-dept-final-en": ("putuo-finance-2024-final.yaml", "sh-dept-final-en"),  # the same in English
    "js-dept": ("jiangsu/js-high-court-2019.yaml", None),
}
