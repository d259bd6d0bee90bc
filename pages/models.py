from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from collective_brain.markdown import render_markdown
from collective_brain.search import search_translated


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def search(self, text: str):
        return search_translated(
            self.published(), text, {"title": "A", "summary": "B", "body": "C"}
        )


class Page(models.Model):
    """A page curated by staff under /about/ (translated with modeltranslation)."""

    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("body"), help_text=_("Markdown."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("About page")
        verbose_name_plural = _("About pages")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pages:detail", kwargs={"slug": self.slug})

    @property
    def body_html(self):
        return render_markdown(self.body)
