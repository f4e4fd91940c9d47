"""Storage API routes, most specific first (storage.md §7): ``custom`` and ``binary`` are
matched before an id, and one segment is a TTL on POST but an id on GET and DELETE."""

from django.urls import path

from apps.storage import apis

urlpatterns = [
    path(
        "1/storage/custom/<str:custom_id>/<str:ttl>",
        apis.CustomStorageView.as_view(),
        name="storage-custom",
    ),
    path("1/storage/binary/<str:id>/<str:key>", apis.BinaryView.as_view(), name="storage-binary"),
    path("1/storage/<str:id>/<str:ttl_or_key>", apis.StorageKeyView.as_view(), name="storage-key"),
    path("1/storage/<str:ttl_or_id>", apis.StorageAreaView.as_view(), name="storage"),
]
