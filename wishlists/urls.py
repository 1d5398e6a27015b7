from django.urls import path

from wishlists import api

urlpatterns = [
    path("wishlists", api.WishlistListView.as_view()),
    path("wishlists/<str:wishlist_id>", api.WishlistDetailView.as_view()),
    path("wishlists/<str:wishlist_id>/items", api.WishlistItemListView.as_view()),
    path("wishlists/<str:wishlist_id>/items/<str:item_id>", api.WishlistItemDetailView.as_view()),
    path("shared_wishlists/<str:token>", api.SharedWishlistView.as_view()),
]
