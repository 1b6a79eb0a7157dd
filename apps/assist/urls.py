from django.urls import path

from apps.assist import apis

urlpatterns = [
    path("priority/", apis.PrioritySuggestionApi.as_view(), name="assist-priority"),
    path("enhance/", apis.EnhanceDescriptionApi.as_view(), name="assist-enhance"),
]
