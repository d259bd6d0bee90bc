from django.views.generic import DetailView, ListView

from pages.models import Page


class PageListView(ListView):
    template_name = "pages/page_list.html"
    context_object_name = "pages"
    paginate_by = 50

    def get_queryset(self):
        return Page.objects.published()


class PageDetailView(DetailView):
    template_name = "pages/page_detail.html"
    context_object_name = "page"

    def get_queryset(self):
        return Page.objects.published()
