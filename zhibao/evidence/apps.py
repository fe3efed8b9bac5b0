from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    """Evidence deposits (电子存证) on the tamper-evident ledger, certificates and public verification."""

    name = "zhibao.evidence"
    label = "evidence"
    verbose_name = "电子存证"
