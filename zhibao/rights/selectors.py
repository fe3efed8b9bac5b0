"""Reads of the rights register, filtered by what the acting user may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhibao.accounts.models import User
from zhibao.accounts.selectors import is_staff_role, represented_org_ids
from zhibao.core.errors import NotFound
from zhibao.rights.models import ImportBatch, Right


def rights_visible_to(*, actor: User, q: str = "", right_type: str = "", status: str = "", owner: str = "",
                      nice_class: str = "") -> QuerySet[Right]:
    if not getattr(actor, "is_authenticated", False):
        return Right.objects.none()
    rights = Right.objects.select_related("owner")
    if not is_staff_role(actor):
        rights = rights.filter(owner_id__in=represented_org_ids(actor, scope="rights"))
    if q:
        q = q.strip()
        rights = rights.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(grant_number=q))
    if right_type:
        rights = rights.filter(right_type=right_type)
    if status:
        rights = rights.filter(status=status)
    if owner:
        rights = rights.filter(Q(owner__name__icontains=owner) | Q(owner__uscc=owner.strip().upper()))
    if nice_class:
        rights = rights.filter(classes_key__contains=f",{nice_class.strip()},")
    return rights.order_by("-created_at", "-id")


def get_right(*, actor: User, pk: int) -> Right:
    right = Right.objects.select_related("owner").filter(pk=pk).first()
    if right is None or not actor.has_perm("rights.view_right", right):
        raise NotFound("未找到该权利")
    return right


def import_batches(*, actor: User) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(created_by=actor)


def get_import_batch(*, actor: User, pk: int) -> ImportBatch:
    batch = ImportBatch.objects.filter(pk=pk, created_by=actor).first()
    if batch is None:
        raise NotFound("未找到该导入记录")
    return batch
