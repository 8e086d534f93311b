"""Hostile input shared by the web and browser tests: an XSS corpus, and a page checker.

Every payload, if it ever ran, calls ``__xss("pNN")`` with its own id, so a failure names
it; the browser tests install ``window.__xss`` with ``page.add_init_script``.  The template
injections (``{{7*7}}``, ``${7*7}``, …) run nothing: they must simply come back as typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = [
    "INJECTION_TAGS",
    "PAYLOADS",
    "PageElements",
    "csp_directives",
    "header_problems",
    "parse_page",
    "payload_id",
]

_RAW = [
    # script elements, and breaking out of the contexts the pages use
    "<script>__xss('p01')</script>",
    "<ScRiPt>__xss('p02')</sCrIpT>",
    "</script><script>__xss('p03')</script>",
    "</textarea><script>__xss('p04')</script>",
    "</title><script>__xss('p05')</script>",
    "</pre></code></details><script>__xss('p06')</script>",
    "</style><script>__xss('p07')</script>",
    "--><script>__xss('p08')</script>",
    "]]><script>__xss('p09')</script>",
    "<scr<script>ipt>__xss('p10')</scr</script>ipt>",
    # event handlers and attribute quote breaks
    "<img src=x onerror=__xss('p11')>",
    "\"><img src=x onerror=__xss('p12')>",
    "'><img src=x onerror=__xss('p13')>",
    '" onfocus="__xss(\'p14\')" autofocus="',
    "' onfocus='__xss(`p15`)' autofocus='",
    "\" onmouseover=__xss('p16') x=\"",
    "` onfocus=__xss('p17') autofocus `",
    "<body onload=__xss('p18')>",
    "<details open ontoggle=__xss('p19')>",
    "<input autofocus onfocus=__xss('p20')>",
    "<select autofocus onfocus=__xss('p21')></select>",
    "<textarea autofocus onfocus=__xss('p22')></textarea>",
    "<video><source onerror=__xss('p23')></video>",
    "<audio src=x onerror=__xss('p24')>",
    "<marquee onstart=__xss('p25')>x</marquee>",
    "<img src=x onerror=&#95;&#95;xss('p26')>",
    "<img src=1 onerror=__xss(String.fromCharCode(112,50,55))>",
    "<img src=x onerror=eval(atob('X194c3MoJ3AyOCcp'))>",
    # javascript: URLs
    "javascript:__xss('p29')",
    "<a href=\"javascript:__xss('p30')\" id=xss30>x</a>",
    "<iframe src=\"javascript:__xss('p31')\"></iframe>",
    "<object data=\"javascript:__xss('p32')\"></object>",
    "<embed src=\"javascript:__xss('p33')\">",
    "<form action=\"javascript:__xss('p34')\"><button id=xss34>x</button></form>",
    '<meta http-equiv="refresh" content="0;url=javascript:__xss(\'p35\')">',
    "<script src=\"data:text/javascript,__xss('p36')\"></script>",
    # SVG / MathML
    "<svg onload=__xss('p37')>",
    "<svg/onload=__xss('p38')>",
    "<svg><script>__xss('p39')</script></svg>",
    "<svg><animate onbegin=__xss('p40') attributeName=x dur=1s>",
    "<svg><a xlink:href=\"javascript:__xss('p41')\"><text x=20 y=20>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=__xss('p42')>",
    "<math><mi xlink:href=\"javascript:__xss('p43')\">x</mi></math>",
    "<noscript><p title=\"</noscript><img src=x onerror=__xss('p44')>\">",
    "<!--<img src=\"--><img src=x onerror=__xss('p45')//\">",
    # frames and <base>
    "<iframe srcdoc=\"<script>parent.__xss('p46')</script>\"></iframe>",
    "<iframe srcdoc=\"&lt;img src=x onerror=parent.__xss('p47')&gt;\"></iframe>",
    "<base href=\"javascript:__xss('p48')//\">",
    '<base href="//evil.invalid/"><script src="/static/js/x.js"></script>',
    # JSON / JavaScript string breakouts, backslashes, line terminators
    "\"};__xss('p50')//",
    "'-__xss('p51')-'",
    "\";__xss('p52');//",
    "\\';__xss('p53');//",
    "\\\";__xss('p54');//",
    "*/__xss('p55');/*",
    "\u2028__xss('p56')\u2029",
    "\u2028</script>\u2029<script>__xss('p57')</script>",
    "${__xss('p58')}",
    "`+__xss('p59')+`",
    "\\x3cscript\\x3e__xss('p60')\\x3c/script\\x3e",
    "\\u003cscript\\u003e__xss('p61')\\u003c/script\\u003e",
    # percent- and entity-encoded variants (harmful only if decoded twice)
    "%3Cscript%3E__xss('p62')%3C%2Fscript%3E",
    "&lt;script&gt;__xss('p63')&lt;/script&gt;",
    "&#60;img src=x onerror=__xss('p64')&#62;",
    "%22%3E%3Cimg%20src%3Dx%20onerror%3D__xss('p65')%3E",
    # CSS
    "<div style=\"background:url(javascript:__xss('p66'))\">x</div>",
    "<div style=\"width:expression(__xss('p67'))\">x</div>",
    "<style>@import 'javascript:__xss(\"p68\")';</style>",
    "<link rel=stylesheet href=\"javascript:__xss('p69')\">",
    # template injection: must come back as typed
    "{{7*7}}",
    "${7*7}",
    "{% raw %}{{ config }}{% endraw %}",
    "#{7*7} <%= 7*7 %> {{constructor.constructor('__xss(\"p73\")')()}}",
    # odd unicode around markup
    "\ufeff<\u0000script>__xss('p74')</script>",
    "\U0001f600<img src=x onerror=__xss('p75')>\u202e",
]

PAYLOADS: list[str] = _RAW


def payload_id(index: int) -> str:
    """A short name for payload ``index`` (for test ids and messages)."""
    return f"payload {index + 1:02d}"


# Elements a payload would add if it escaped into markup (none of the pages has any of
# them; <script> is checked separately because pages do have their own).
INJECTION_TAGS = frozenset(
    {
        "img",
        "svg",
        "math",
        "iframe",
        "object",
        "embed",
        "base",
        "meta",
        "style",
        "audio",
        "video",
        "source",
        "marquee",
        "noscript",
        "mglyph",
        "mtext",
        "body",
        "xss",
        "animate",
        "frame",
        "frameset",
    }
)


@dataclass
class PageElements:
    """What an HTML text holds, as a browser's tokenizer sees it (tags, attributes, field values)."""

    tags: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)  # name → value of <input> (first of each name)
    textareas: dict[str, str] = field(default_factory=dict)  # name → text
    scripts: list[dict[str, str | None]] = field(default_factory=list)
    script_text: list[str] = field(default_factory=list)

    def problems(self, allowed_script_src: frozenset[str | None] = frozenset()) -> list[str]:
        """Every sign of markup a user value could have added: handlers, javascript: URLs, foreign tags, scripts."""
        found: list[str] = []
        for tag, attrs in self.tags:
            if _is_own(tag, attrs):
                continue
            if tag in INJECTION_TAGS:
                found.append(f"<{tag}> element")
            for name, value in attrs.items():
                if name.startswith("on"):
                    found.append(f"<{tag} {name}=…>")
                if name in ("href", "src", "action", "formaction", "data", "srcdoc") and value is not None:
                    squashed = "".join(value.split()).lower()
                    if squashed.startswith(("javascript:", "data:", "vbscript:")) or name == "srcdoc":
                        found.append(f"<{tag} {name}={value[:40]!r}>")
                if name == "style":
                    found.append(f"<{tag} style=…>")
                if name in ("autofocus",) and tag != "input":
                    found.append(f"<{tag} autofocus>")
        for attrs in self.scripts:
            if attrs.get("src") not in allowed_script_src:
                found.append(f"<script src={attrs.get('src')!r}>")
        return found


def _is_own(tag: str, attrs: dict[str, str | None]) -> bool:
    """The pages' own elements among INJECTION_TAGS (a payload can't make these exact ones)."""
    if tag == "meta":
        return set(attrs) <= {"charset", "name", "content"} and (
            "charset" in attrs or attrs.get("name") in ("viewport", "csrf-token")
        )
    if tag == "body":
        return set(attrs) <= {"class"}
    if tag == "style":  # the preview's stylesheet, written in with the response's nonce
        return set(attrs) == {"nonce"}
    if tag == "iframe" and attrs.get("class") == "preview-warm-up":  # keeps the preview's process warm
        src = str(attrs.get("src") or "")
        return (
            attrs.get("sandbox") == "allow-scripts"
            and src.startswith("/static/")
            and src.endswith("/preview-warm-up.html")
            and set(attrs) == {"class", "sandbox", "hidden", "tabindex", "aria-hidden", "title", "src"}
        )
    if tag == "iframe":
        return (
            attrs.get("id") == "live-preview"
            and attrs.get("sandbox") == "allow-scripts"
            and str(attrs.get("src") or "").startswith("/preview?s=")
            and set(attrs) == {"id", "class", "sandbox", "src", "title"}
        )
    return False


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageElements()
        self._textarea: str | None = None
        self._text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.page.tags.append((tag, values))
        if tag == "input" and values.get("name") is not None:
            self.page.inputs.setdefault(str(values["name"]), values.get("value") or "")
        elif tag == "textarea":
            self._textarea = str(values.get("name") or "")
            self._text = []
        elif tag == "script":
            self.page.scripts.append(values)
            self._in_script = True
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            # A browser drops one newline right after <textarea>; WTForms writes "\r\n" there.
            for newline in ("\r\n", "\n"):
                if text.startswith(newline):
                    text = text[len(newline) :]
                    break
            self.page.textareas.setdefault(self._textarea, text)
            self._textarea = None
        elif tag == "script" and self._in_script:
            self.page.script_text.append("".join(self._text))
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._textarea is not None or self._in_script:
            self._text.append(data)


def parse_page(html: str) -> PageElements:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.page


# -- security headers --------------------------------------------------------------------------


def csp_directives(policy: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as directive → sources (a directive given twice is an error)."""
    found: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            if words[0] in found:
                raise AssertionError(f"directive {words[0]} twice in {policy!r}")
            found[words[0]] = words[1:]
    return found


def header_problems(headers: Mapping[str, str], *, preview: bool = False) -> list[str]:
    """What is wrong with a response's security headers (``headers`` with lower-case names)."""
    problems: list[str] = []
    policy = headers.get("content-security-policy")
    if not policy:
        return ["no Content-Security-Policy"]
    csp = csp_directives(policy)
    default = csp.get("default-src")
    if default not in (["'self'"], ["'none'"]):
        problems.append(f"default-src {default}")
    script = csp.get("script-src", default or [])
    if not all(
        s in ("'self'", "'none'", "'report-sample'") or (s.startswith("'nonce-") and len(s) >= 24)
        for s in script
    ):
        problems.append(f"script-src {script}")  # never 'unsafe-inline', 'unsafe-eval', hosts or short nonces
    for directive, allowed in (
        ("object-src", (["'none'"],)),
        ("base-uri", (["'none'"],)),
        ("frame-ancestors", (["'self'"], ["'none'"])),
    ):
        if csp.get(directive) not in allowed:
            problems.append(f"{directive} {csp.get(directive)}")
    connect = csp.get("connect-src", default)
    if connect != (["'none'"] if preview else ["'self'"]):
        problems.append(f"connect-src {connect}")
    if preview and ("sandbox" not in csp or "allow-same-origin" in csp["sandbox"]):
        problems.append(f"sandbox {csp.get('sandbox')}")  # an opaque origin even when opened directly
    if headers.get("x-content-type-options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if headers.get("referrer-policy") not in (
        "same-origin",
        "no-referrer",
        "strict-origin-when-cross-origin",
    ):
        problems.append(f"Referrer-Policy {headers.get('referrer-policy')}")
    if headers.get("x-frame-options") != "SAMEORIGIN":
        problems.append(f"X-Frame-Options {headers.get('x-frame-options')}")
    return problems
