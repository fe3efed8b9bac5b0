from django.urls import path

from zhibao.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("queue/", views.queue, name="queue"),
    path("new/", views.intake, name="new"),
    path("bulk/", views.bulk_upload, name="bulk"),
    path("drafts/<int:draft_pk>/", views.intake, name="draft"),
    path("status/", views.public_status, name="public_status"),
    path("triage-rules/", views.triage_rules, name="triage_rules"),
    path("decisions/", views.public_decisions, name="public_decisions"),
    path("<str:number>/", views.case_detail, name="detail"),
    path("<str:number>/decision.pdf", views.decision_pdf, name="decision_pdf"),
    path("<str:number>/agreement.pdf", views.mediation_document, {"kind": "agreement"}, name="agreement_pdf"),
    path("<str:number>/confirmation.pdf", views.mediation_document, {"kind": "confirmation"},
         name="confirmation_pdf"),
]
