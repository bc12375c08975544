from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from clearinghouse.api.views import api
from clearinghouse.web import feeds, signin, sitemaps
from clearinghouse.web.oai import views as oai_views
from clearinghouse.web.views import (
    access,
    accounts,
    browse,
    citations,
    documents,
    home,
    listing,
    privacy,
    resources,
    system,
)

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
    # A record's reference, and a search result's, to download (formats.md).
    path(
        "resources/<slug:slug>/cite.bib",
        citations.cite_download,
        {"format_name": "bibtex"},
        name="cite_bibtex",
    ),
    path(
        "resources/<slug:slug>/cite.ris",
        citations.cite_download,
        {"format_name": "ris"},
        name="cite_ris",
    ),
    path(
        "resources/<slug:slug>/cite.json",
        citations.cite_download,
        {"format_name": "csljson"},
        name="cite_csljson",
    ),
    path(
        "library/export.<str:extension>",
        citations.library_export,
        name="library_export",
    ),
    path("privacy/", privacy.privacy, name="privacy"),
    path("topics/", browse.topics, name="topics"),
    path("topics/<slug:slug>/", listing.topic, name="topic"),
    path("organisations/<slug:slug>/", listing.organisation, name="organisation"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html",
            redirect_authenticated_user=True,
            authentication_form=signin.SignInForm,  # with a lockout
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Membership, password resets, access requests (docs/curating.md).
    path("accounts/register/", accounts.register, name="register"),
    path("accounts/register/sent/", accounts.register_sent, name="register_sent"),
    path("accounts/password-reset/", accounts.password_reset, name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        accounts.password_reset_done,
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        accounts.password_reset_complete,
        name="password_reset_complete",
    ),
    path(
        "resources/<slug:slug>/request-access/",
        access.request_access,
        name="request_access",
    ),
    # Feeds, sitemap and robots.txt (docs/index.md, "Addresses").
    path("feeds/latest.atom", feeds.LatestFeed(feeds.ATOM), name="feed_latest_atom"),
    path("feeds/latest.rss", feeds.LatestFeed(feeds.RSS), name="feed_latest_rss"),
    path("feeds/search.atom", feeds.SearchFeed(feeds.ATOM), name="feed_search_atom"),
    path("feeds/search.rss", feeds.SearchFeed(feeds.RSS), name="feed_search_rss"),
    path(
        "feeds/topics/<slug:slug>.atom",
        feeds.TopicFeed(feeds.ATOM),
        name="feed_topic_atom",
    ),
    path(
        "feeds/topics/<slug:slug>.rss",
        feeds.TopicFeed(feeds.RSS),
        name="feed_topic_rss",
    ),
    path(
        "feeds/organisations/<slug:slug>.atom",
        feeds.OrganisationFeed(feeds.ATOM),
        name="feed_organisation_atom",
    ),
    path(
        "feeds/organisations/<slug:slug>.rss",
        feeds.OrganisationFeed(feeds.RSS),
        name="feed_organisation_rss",
    ),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path(
        "sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap_section"
    ),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("healthz", system.healthz, name="healthz"),
    path("oai", oai_views.endpoint, name="oai"),
    path("oai/clearinghouse.xsd", oai_views.native_schema, name="oai_native_schema"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

# The admin's sign-in page has the same lockout as the site's (web/signin.py).
admin.site.login_form = signin.AdminSignInForm

handler404 = "clearinghouse.web.views.system.not_found"
handler500 = "clearinghouse.web.views.system.server_error"
