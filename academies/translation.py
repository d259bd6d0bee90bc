from modeltranslation.translator import TranslationOptions, register

from academies.models import Edition


@register(Edition)
class EditionTranslationOptions(TranslationOptions):
    fields = ("city", "title", "description")
