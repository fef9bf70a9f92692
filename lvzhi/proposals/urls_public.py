from . import views_public

app_name = "public"
urlpatterns = [*views_public.urlpatterns]  # /public/proposals/…: published proposals and answers, no log-in
