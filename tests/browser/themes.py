"""Telegram's own theme parameters (Android, default light and night), as it passes them."""

from __future__ import annotations

LIGHT = {
    "bg_color": "#ffffff",
    "text_color": "#000000",
    "hint_color": "#999999",
    "link_color": "#2481cc",
    "button_color": "#3390ec",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#f0f0f0",
    "header_bg_color": "#ffffff",
    "accent_text_color": "#2481cc",
    "section_bg_color": "#ffffff",
    "section_header_text_color": "#3390ec",
    "subtitle_text_color": "#999999",
    "destructive_text_color": "#e53935",
}
DARK = {
    "bg_color": "#212d3b",
    "text_color": "#ffffff",
    "hint_color": "#7d8b99",
    "link_color": "#5eabe1",
    "button_color": "#50a8eb",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#151e27",
    "header_bg_color": "#242d39",
    "accent_text_color": "#64b5ef",
    "section_bg_color": "#1d2733",
    "section_header_text_color": "#79c4fc",
    "subtitle_text_color": "#7b8790",
    "destructive_text_color": "#ee686f",
}
THEMES = {"light": LIGHT, "dark": DARK}
