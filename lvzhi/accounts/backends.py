from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


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
