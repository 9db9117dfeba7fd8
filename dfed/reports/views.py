from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.views.generic import TemplateView

from dfed.people.models import Person
from dfed.people.selectors import person_list_visible_to


class HomeView(LoginRequiredMixin, TemplateView):
    """The landing page: the registry figures the user may see."""

    template_name = "reports/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        people = person_list_visible_to(self.request.user).filter(status=Person.Status.ACTIVE)
        context["people_total"] = people.count()
        context["people_by_town"] = (
            people.values("town__name").annotate(n=Count("pk")).order_by("town__code")
        )
        context["people_by_level"] = (
            people.values("level").annotate(n=Count("pk")).order_by("level")
        )
        levels = dict(Person.Level.choices)
        for row in context["people_by_level"]:
            row["label"] = levels[row["level"]]
        return context
