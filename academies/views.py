from django.views.generic import DetailView, ListView

from academies.models import Edition


class EditionListView(ListView):
    template_name = "academies/edition_list.html"
    context_object_name = "editions"
    paginate_by = 50

    def get_queryset(self):
        return Edition.objects.order_by("-number")


class EditionDetailView(DetailView):
    template_name = "academies/edition_detail.html"
    context_object_name = "edition"
    queryset = Edition.objects.all()
