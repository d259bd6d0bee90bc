from modeltranslation.translator import TranslationOptions, register

from news.models import Event, NewsItem, Tag


@register(Tag)
class TagTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(NewsItem)
class NewsItemTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body", "image_alt")


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = ("title", "description", "place")
