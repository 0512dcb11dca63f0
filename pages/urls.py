"""The pages' routes (docs/pages.md), under the `pages` namespace."""

from django.urls import path

from pages import views
from pages.hours_page import hours_csv_download, hours_page
from pages.my_shifts import my_shifts
from pages.schedule_list import schedule_list
from pages.schedule_page import add_override, schedule_page

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("schedules/", schedule_list, name="schedules"),
    path("schedules/<str:public_id>/", schedule_page, name="schedule"),
    path("schedules/<str:public_id>/overrides/", add_override, name="add_override"),
    path("my-shifts/", my_shifts, name="my_shifts"),
    path("hours/", hours_page, name="hours"),
    path("hours.csv", hours_csv_download, name="hours_csv"),
]
