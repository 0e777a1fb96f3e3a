"""The pages of a person's account, shared by the workspace and the back office."""

from pertutti.accounts.views import invitations, signin

app_name = "accounts"
urlpatterns = [*signin.urlpatterns, *invitations.urlpatterns]
