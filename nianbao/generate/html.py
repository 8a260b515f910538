"""A report as a government web page: site chrome around a Word-pasted article.

The chrome (navigation, breadcrumbs, an information table, scripts, the previous/next links, the
footer) is what CMS pages put around the report; the tables are Word tables pasted into the
editor: ``colspan``/``rowspan`` as in the official template, ``MsoNormal`` paragraphs, numbers
split across ``<span>``s, blank cells as ``&nbsp;``, ``<o:p></o:p>`` or Word's empty-paragraph
marked section.  The page declares its charset in one of the usual ways (or, now and then, not at
all) and is encoded accordingly.
"""

from __future__ import annotations

import random
import re
from html import escape

from nianbao.generate.prose import document
from nianbao.generate.tables import LABEL, Grid, GridCell, Style, grids

SPAN_STYLES = (
    "font-size:10.5pt;font-family:宋体;mso-bidi-font-family:宋体",
    "font-size:12.0pt;font-family:仿宋_GB2312;mso-hansi-font-family:宋体",
    "font-family: 微软雅黑;",
)
BLANKS = (
    "",
    "&nbsp;",
    "<o:p></o:p>",
    "<o:p>&nbsp;</o:p>",
    "<span lang=EN-US><o:p>&nbsp;</o:p></span>",
    "<![if !supportEmptyParas]>&nbsp;<![endif]><o:p></o:p>",
)


def _spans(text: str, rng: random.Random, span_style: str, *, number: bool = False) -> str:
    """Text as Word pastes it: cut into one to three <span>s at random points."""
    text = escape(text, quote=False)
    cuts = sorted(rng.sample(range(1, len(text)), k=min(len(text) - 1, rng.randint(0, 2)))) \
        if len(text) > 1 and "&" not in text else []
    pieces = [text[i:j] for i, j in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    lang = " lang=EN-US" if number else ""
    out = []
    for piece in pieces:
        if number and rng.random() < 0.2:
            out.append(f'<span{lang}><font face="Times New Roman">{piece}</font></span>')
        else:
            out.append(f"<span{lang} style='{span_style}'>{piece}</span>")
    return "".join(out)


def _paragraph(inner: str, align: str) -> str:
    return f"<p class=MsoNormal align={align} style='text-align:{align}'>{inner}</p>"


def _cell_html(cell: GridCell, style: Style, span_style: str) -> str:
    rng = style.rng
    if cell.role == LABEL:
        lines = cell.text.split("\n")
        if len(lines) > 1 and style.choose("html_label_break", ("<br>", "<p>")) == "<br>":
            inner = "<br>".join(_spans(line, rng, span_style) for line in lines)
            return _paragraph(inner + "<o:p></o:p>", "center")
        return "".join(_paragraph(_spans(line, rng, span_style) + "<o:p></o:p>", "center")
                       for line in lines)
    if cell.kind == "blank":
        return _paragraph(style.choose("html_blank", BLANKS), "center")
    return _paragraph(_spans(cell.text, rng, span_style, number=True) + "<o:p></o:p>", "center")


def table_html(grid: Grid, style: Style) -> str:
    rng = style.rng
    span_style = rng.choice(SPAN_STYLES)
    col_width = {4: 140, 10: 60, 15: 42}[grid.width]
    rows = []
    for r, row in enumerate(grid.rows):
        tds = []
        for cell in row:
            attrs = [f"width={col_width * cell.colspan}"]
            if cell.colspan > 1:
                attrs.append(f'colspan="{cell.colspan}"' if rng.random() < 0.5
                             else f"colspan={cell.colspan}")
            if cell.rowspan > 1:
                attrs.append(f"rowspan={cell.rowspan}")
            attrs.append("valign=" + rng.choice(("center", "top")))
            pt = round(col_width * cell.colspan * 0.75, 1)
            attrs.append(f"style='width:{pt}pt;border:solid windowtext 1.0pt;border-top:none;"
                         "mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt'")
            tds.append(f"<td {' '.join(attrs)}>{_cell_html(cell, style, span_style)}</td>")
        height = rng.choice((14.25, 19.5, 20.25, 28.5))
        rows.append(f"<tr style='mso-yfti-irow:{r};height:{height}pt'>" + "".join(tds) + "</tr>")
    table = (
        "<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 "
        "style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;"
        "mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>\n<tbody>\n"
        + "\n".join(rows) + "\n</tbody></table>"
    )
    return f"<div align=center>{table}</div>" if rng.random() < 0.5 else table


def _prose_html(kind: str, text: str, rng: random.Random) -> str:
    if kind == "heading":
        if rng.random() < 0.3:
            return f"<h3>{escape(text)}</h3>"
        return ("<p style=\"text-indent: 2em;\"><strong><span style=\"font-family: 黑体, SimHei;\">"
                f"{escape(text)}</span></strong></p>")
    return ("<p style=\"text-indent: 2em; text-align: justify; line-height: 2;\">"
            + _spans(text, rng, "font-family: 仿宋_GB2312;") + "</p>")


def _site(office: str) -> str:
    m = re.match(r"^(.{1,4}?[市盟])?(.{1,3}?[区县])", office)
    return (m.group(0) if m else office[:3]) + "人民政府"


def _charset_meta(encoding: str, style: Style) -> str:
    rng = style.rng
    if encoding.startswith("utf-8"):
        label = rng.choice(("utf-8", "UTF-8"))
    elif encoding == "gbk":
        label = rng.choice(("gbk", "GBK", "gb2312"))
    else:
        label = rng.choice(("gb18030", "GBK"))
    how = style.choose("html_charset", ("meta", "http-equiv", "meta", "http-equiv", "none"))
    if how == "none" and not encoding.startswith("utf-8"):
        return ""  # some pages never say: the reader has to detect it
    if how == "meta":
        return f'<meta charset="{label}">'
    return f'<meta http-equiv="Content-Type" content="text/html; charset={label}">'


def _info_table(report: dict, title: str, rng: random.Random) -> str:
    """The catalogue table many CMS put above the article (索引号, 发布机构, 公开日期)."""
    year = report["year"]
    cells = [
        ("索引号", f"{rng.randint(10**8, 10**9 - 1)}/{year + 1}-{rng.randint(1, 99999):05d}"),
        ("分类", "政府信息公开年报"),
        ("发布机构", report["office"]),
        ("公开日期", f"{year + 1}-01-{rng.randint(10, 31)}"),
        ("名称", title),
        ("文号", ""),
    ]
    rows = "".join(f"<tr><td class=\"c1\">{k}</td><td class=\"c2\">{escape(v)}</td></tr>"
                   for k, v in cells)
    return f'<div class="article-tb"><table class="table_content"><tbody>{rows}</tbody></table></div>'


def _chrome_head(title: str, site: str, encoding: str, style: Style, year: int) -> str:
    rng = style.rng
    meta = _charset_meta(encoding, style)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
{meta}
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="SiteName" content="{site}">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="ArticleTitle" content="{escape(title)}">
<meta name="PubDate" content="{year + 1}-01-{rng.randint(10, 31)} 09:{rng.randint(10, 59)}">
<title>{escape(title)}_政府信息公开年报_{site}</title>
<link rel="stylesheet" type="text/css" href="/images/common.css">
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->
<script type="text/javascript">
var _hmt = _hmt || [];
var siteId = "{rng.randint(1, 999)}", pubYear = "{year + 1}";
(function() {{ var hm = document.createElement("script"); hm.src = "https://hm.baidu.com/hm.js?{rng.getrandbits(64):016x}";
  var s = document.getElementsByTagName("script")[0]; s.parentNode.insertBefore(hm, s); }})();
</script>
</head>
<body>
<div class="header"><div class="logo"><a href="/"><img src="/images/logo.png" alt="{site}"></a></div>
<div class="header_link"><a href="https://www.gov.cn/" target="_blank">中国政府网</a> <a href="javascript:;" class="none_sm">无障碍</a> <a href="javascript:;">长者模式</a></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/zjxx/">走进{site[:3]}</a></li></ul>
<div class="search"><input type="text" placeholder="请输入关键词"><button>搜索</button></div>
</div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/zfxxgk/">政府信息公开</a> &gt; <span>政府信息公开年报</span></div>
"""


def _chrome_foot(report: dict, site: str, rng: random.Random) -> str:
    prev_title = f"{report['office']}{report['year'] - 1}年政府信息公开工作年度报告"
    return f"""
<div class="pre_next">
<p>上一篇：<a href="/zwgk/nb/{report['year']}/t{rng.randint(10**6, 10**7)}.html">{escape(prev_title)}</a></p>
<p>下一篇：<a href="/zwgk/tzgg/t{rng.randint(10**6, 10**7)}.html">关于做好{report['year'] + 1}年度政务公开工作的通知</a></p>
</div>
<div class="share">分享到：<a href="javascript:;">微信</a> <a href="javascript:;">微博</a> <a href="javascript:window.print();">【打印本页】</a> <a href="javascript:window.close();">【关闭窗口】</a></div>
<div class="footer">
<p>主办单位：{site}办公室　承办单位：{site}大数据中心</p>
<p>网站标识码：{rng.randint(10**9, 10**10 - 1)}　<a href="https://beian.miit.gov.cn/">ICP备{rng.randint(10**7, 10**8 - 1)}号-1</a>　公网安备 {rng.randint(10**13, 10**14 - 1)}号</p>
<p>版权所有 &copy; {report['year'] + 1} {site} 联系电话：0379-{rng.randint(6000000, 6999999)}</p>
</div>
<script type="text/javascript" src="/js/jquery.min.js"></script>
<script type="text/javascript">
$(function () {{
  var vWeek = ["星期天", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"];
  var d = new Date();
  $("#utime").html(d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日 " + vWeek[d.getDay()]);
  if ($(".TRS_Editor table").length) {{ $(".TRS_Editor table").wrap("<div class='table-scroll'></div>"); }}
}});
</script>
</body>
</html>
"""


def render_html(report: dict, rng: random.Random, encoding: str = "utf-8",
                trace: dict | None = None) -> bytes:
    """The whole report as a CMS page, encoded (and declared) in ``encoding``."""
    style = Style.random(rng)
    if trace is not None:
        trace["style"] = style
    t2, t3, t4 = grids(report, style)
    tables = {2: t2, 3: t3, 4: t4}
    blocks = document(report, rng, style)
    title = blocks[0][1]
    site = _site(report["office"])
    body = []
    for kind, content in blocks[1:]:
        if kind == "table":
            body.append(table_html(tables[content], style))
        else:
            body.append(_prose_html(kind, content, rng))
    if rng.random() < 0.4:  # the title repeated at the top of the article text
        body.insert(0, f"<p align=center style='text-align:center'><b>{escape(title)}</b></p>")
    article = (
        f'<div class="article">\n<h1 class="article-title">{escape(title)}</h1>\n'
        f'<div class="info">发布时间：{report["year"] + 1}-01-{rng.randint(10, 31)}　来源：'
        f'{escape(report["office"])}　浏览次数：<span id="hits">{rng.randint(10, 9999)}</span>'
        '　<span id="utime"></span></div>\n'
        '<div class="TRS_Editor" id="zoom">\n' + "\n".join(body) + "\n</div>\n</div>"
    )
    page = (_chrome_head(title, site, encoding, style, report["year"])
            + (_info_table(report, title, rng) if rng.random() < 0.4 else "")
            + article + _chrome_foot(report, site, rng))
    if rng.random() < 0.2:
        page = page.replace("\n", "\r\n")
    return page.encode(encoding)
