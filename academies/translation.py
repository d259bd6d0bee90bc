from modeltranslation.translator import TranslationOptions, register

from academies.models import Edition, Session


@register(Edition)
class EditionTranslationOptions(TranslationOptions):
    fields = ("city", "venue", "title", "description", "picture_alt", "programme_note")


@register(Session)
class SessionTranslationOptions(TranslationOptions):
    fields = ("title", "description", "summary")
