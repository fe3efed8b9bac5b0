"""zhibao.law: the legal rules of the platform as a pure library (no Django).

Identifiers (USCC, patent numbers), statutory clocks, damages and criminal
thresholds. Every computed figure names the rule and source it used.
"""
