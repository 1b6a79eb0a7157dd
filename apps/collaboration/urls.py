from django.urls import path

from apps.collaboration import apis

urlpatterns = [
    path("tasks/<int:task_id>/comments/", apis.TaskCommentsApi.as_view(), name="task-comments"),
    path("comments/<int:pk>/", apis.CommentDetailApi.as_view(), name="comment-detail"),
    path("projects/<int:project_id>/labels/", apis.ProjectLabelsApi.as_view(), name="project-labels"),
    path("labels/<int:pk>/", apis.LabelDetailApi.as_view(), name="label-detail"),
    path("tasks/<int:task_id>/watchers/", apis.TaskWatchersApi.as_view(), name="task-watchers"),
    path("tasks/<int:task_id>/watchers/me/", apis.TaskWatcherMeApi.as_view(), name="task-watcher-me"),
]
