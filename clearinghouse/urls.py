from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from clearinghouse.api.views import api
from clearinghouse.web.views import browse, documents, home, listing, resources, system

urlpatterns = [
    path("", home.home, name="home"),
    path("library/", listing.library, name="library"),
    path("resources/<slug:slug>/", resources.resource_detail, name="resource"),
    path(
        "resources/<slug:slug>/documents/<int:pk>/",
        documents.document_download,
        name="document",
    ),
    path(
        "resources/<slug:slug>/documents/<int:pk>/thumbnail",
        documents.document_thumbnail,
        name="document_thumbnail",
    ),
    path("topics/", browse.topics, name="topics"),
    path("topics/<slug:slug>/", listing.topic, name="topic"),
    path("organisations/<slug:slug>/", listing.organisation, name="organisation"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", system.healthz, name="healthz"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "clearinghouse.web.views.system.not_found"
handler500 = "clearinghouse.web.views.system.server_error"
