"""`isolate_latin` for templates; the rule itself is territories.bidi (printing uses it too)."""

from django import template

from pertutti.territories.bidi import isolate_latin

register = template.Library()
register.filter("isolate_latin", isolate_latin)
