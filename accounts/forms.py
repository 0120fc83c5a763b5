from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("如：一号赛场平板"))
    days = forms.IntegerField(label=_("有效天数"), min_value=1, max_value=3650, initial=90)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)
