"""Obtain Baidu LAC 2.1.2's weights from PyPI and convert them for ``zh_industry_ie.lac``."""
