from modeltranslation.translator import TranslationOptions, register

from forum.models import Category, Tag


@register(Category)
class CategoryTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Tag)
class TagTranslationOptions(TranslationOptions):
    fields = ("name",)
