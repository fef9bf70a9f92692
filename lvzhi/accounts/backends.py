from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from lvzhi.core import caching


class UsernameOrMobileBackend(ModelBackend):
    """Log in with a user name or a mobile number and a password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        User = get_user_model()
        user = User.objects.filter(Q(username=username) | Q(mobile=username)).order_by("id").first()
        if user is None:
            User().set_password(password)  # same time whether or not the user exists
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The user of a session, with their roles, from this process's cache when their tokens are
        unchanged (lvzhi.core.caching): every logged-in request asks, and the database answered with two
        queries. One round trip to the shared cache reads the tokens."""
        return self.get_user_tagged(user_id, caching.principal_tag(user_id))

    def get_user_tagged(self, user_id, tag):
        user = caching.cached_user(user_id, tag)
        if user is None:
            from lvzhi.core.permissions import held_roles

            user = super().get_user(user_id)
            if user is None:
                return None
            held_roles(user)  # cached on the object, so it is stored with it
            caching.remember_user(user, tag)
        return user if self.user_can_authenticate(user) else None
