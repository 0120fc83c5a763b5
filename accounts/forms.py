from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("如：一号赛场平板"))
    days = forms.IntegerField(label=_("有效天数"), min_value=1, max_value=365, initial=90)
    password = forms.CharField(label=_("当前密码"), widget=forms.PasswordInput(render_value=False), max_length=128,
                               help_text=_("创建令牌需要再次输入您的登录密码。"))


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)
