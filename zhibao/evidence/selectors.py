"""Reads of deposits: a depositor's own, staff's, and the public verification answers."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from zhibao.accounts.models import User
from zhibao.accounts.selectors import is_staff_role, represented_org_ids
from zhibao.core.errors import InvalidInput, NotFound
from zhibao.evidence import checklists
from zhibao.evidence.models import Deposit, DepositFile

_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def deposits_visible_to(*, actor: User, q: str = "") -> QuerySet[Deposit]:
    """Own deposits, deposits of organisations the actor acts for; staff see all."""
    deposits = Deposit.objects.select_related("depositor", "organisation")
    if not is_staff_role(actor):
        deposits = deposits.filter(Q(depositor=actor) | Q(organisation_id__in=represented_org_ids(actor)))
    if q:
        q = q.strip()
        deposits = deposits.filter(Q(deposit_no=q) | Q(title__icontains=q) | Q(files__sha256=q.lower())).distinct()
    return deposits.order_by("-deposited_at", "-id")


def get_deposit(*, actor: User, deposit_no: str) -> Deposit:
    deposit = deposits_visible_to(actor=actor).filter(deposit_no=deposit_no).first()
    if deposit is None:
        raise NotFound("未找到该存证")
    return deposit


def find_by_sha256(sha256_hex: str) -> DepositFile | None:
    return DepositFile.objects.select_related("deposit").filter(sha256=sha256_hex).order_by("deposit_id").first()


@dataclass
class Verification:
    """One of 核验通过 (verified), 尚未存证 (not_found), 比对不一致 (mismatch)."""

    status: str
    sha256: str = ""
    deposit: Deposit | None = None
    file: DepositFile | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return {"verified": "核验通过", "not_found": "尚未存证", "mismatch": "比对不一致"}[self.status]


def verify(*, content: bytes | None = None, sha256: str = "", deposit_no: str = "") -> Verification:
    """Public check: a file (or its hash), optionally against a deposit number."""
    digest = hashlib.sha256(content).hexdigest() if content is not None else sha256.strip().lower()
    if digest and not _HEX64.match(digest):
        raise ValueError("SHA-256 应为 64 位十六进制")
    deposit_no = deposit_no.strip().upper()
    if deposit_no:
        deposit = Deposit.objects.filter(deposit_no=deposit_no).first()
        if deposit is None:
            return Verification("not_found", digest, reasons=[f"存证编号 {deposit_no} 不存在"])
        if not digest:
            return Verification("verified", "", deposit, None, ["存证编号存在；上传文件或输入哈希可比对内容"])
        match = deposit.files.filter(sha256=digest).first()
        if match is None:
            return Verification("mismatch", digest, deposit, None,
                                ["该存证编号记录的文件哈希与所提交内容不一致"])
        return Verification("verified", digest, deposit, match)
    if not digest:
        raise ValueError("请上传文件、输入 SHA-256 或存证编号")
    found = find_by_sha256(digest)
    if found is None:
        return Verification("not_found", digest, reasons=["平台账本中没有该哈希的存证"])
    return Verification("verified", digest, found.deposit, found)


def proof_payload(deposit: Deposit) -> dict:
    """What a verifier needs to recompute the root: exact leaf bytes, the audit path, the signed checkpoint."""
    data = {
        "deposit_no": deposit.deposit_no,
        "leaf_hex": bytes(deposit.leaf).hex(),
        "leaf_index": deposit.leaf_index,
        "tree_size": deposit.tree_size,
        "inclusion_proof": list(deposit.inclusion_proof),
        "root": deposit.root_hex,
    }
    return {**data, "checkpoint": deposit.checkpoint, "json": json.dumps(data)}


def deposit_by_number(deposit_no: str) -> Deposit | None:
    """For the operator's CLI (no acting user): the deposit with this number, if any."""
    return Deposit.objects.filter(deposit_no=deposit_no.strip().upper()).first()


def checklist_for(*, actor: User, channel: str, deposit_nos: list[str]) -> checklists.Checklist:
    """A channel's evidence checklist against the given deposits (only those the actor may see count)."""
    if channel not in checklists.channels():
        raise InvalidInput({"channel": [f"未知的渠道：{channel}（可用：{', '.join(checklists.channels())}）"]})
    wanted = [n.strip() for n in deposit_nos if n.strip()]
    cats = list(deposits_visible_to(actor=actor).filter(deposit_no__in=wanted).values_list("category", flat=True))
    return checklists.evaluate(channel, cats)
