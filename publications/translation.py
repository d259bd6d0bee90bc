from modeltranslation.translator import TranslationOptions, register

from publications.models import Collection, Publication, PublicationType, Theme


@register(PublicationType)
class PublicationTypeTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Theme)
class ThemeTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Collection)
class CollectionTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(Publication)
class PublicationTranslationOptions(TranslationOptions):
    fields = ("title", "subtitle", "summary")
