"""The product's URLs plus /bench/minimal: the baseline every figure of bench/members.py is compared to."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from lvzhi.urls import urlpatterns as product_urlpatterns


def minimal(request: HttpRequest) -> HttpResponse:
    """The least a Django view can do behind the product's full middleware stack."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/minimal", minimal), *product_urlpatterns]
