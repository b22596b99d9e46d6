#!/usr/bin/python3
"""The palmares certificate page (reports/certificate.c) redone with ReportLab,
for bench/certificates.py: same A4 landscape page, same frame (drawn once as
a form XObject, as palmares records it once), same texts, fitting rules and
fonts (DejaVu, TrueType: ReportLab cannot embed EB Garamond's CFF outlines).

usage: /usr/bin/python3 reportlab_certificates.py RESULTS.json OUT.pdf
(Debian's python3-reportlab)"""
import hashlib
import json
import math
import sys

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

DJ = "/usr/share/fonts/truetype/dejavu/"
for name, f in [("Serif", "DejaVuSerif.ttf"), ("Serif-Bold", "DejaVuSerif-Bold.ttf"),
                ("Serif-Italic", "DejaVuSerif-Italic.ttf"), ("Sans", "DejaVuSans.ttf"),
                ("Sans-Bold", "DejaVuSans-Bold.ttf"), ("Mono-Bold", "DejaVuSansMono-Bold.ttf")]:
    pdfmetrics.registerFont(TTFont(name, DJ + f))

W, H = landscape(A4)
PRIMARY, ACCENT, INK, MUTED, PAPER = (0.106, 0.212, 0.365), (0.659, 0.525, 0.176), \
    (0.118, 0.118, 0.137), (0.42, 0.43, 0.47), (1.0, 0.992, 0.969)
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]


def Y(y):  # palmares measures from the top
    return H - y


def rope(c, x0, y0, dx, dy, length):
    n = int(length // 11.0)
    hw, a, nx, ny = length / max(n, 1), 14 * 0.34, -dy, dx
    for wave in range(2):
        p = c.beginPath()
        p.moveTo(x0, Y(y0))
        for i in range(n):
            s, t = (1 if (i + wave) % 2 else -1) * a * 4 / 3, i * hw
            p.curveTo(x0 + dx * (t + hw / 3) + nx * s, Y(y0 + dy * (t + hw / 3) + ny * s),
                      x0 + dx * (t + 2 * hw / 3) + nx * s, Y(y0 + dy * (t + 2 * hw / 3) + ny * s),
                      x0 + dx * (t + hw), Y(y0 + dy * (t + hw)))
        c.drawPath(p, stroke=1, fill=0)


def rosette(c, cx, cy):
    c.setFillColorRGB(*PAPER)
    c.rect(cx - 8, Y(cy + 8), 16, 16, stroke=0, fill=1)
    c.setFillColorRGB(*PRIMARY)
    p = c.beginPath()
    p.moveTo(cx, Y(cy - 8)); p.lineTo(cx + 8, Y(cy)); p.lineTo(cx, Y(cy + 8)); p.lineTo(cx - 8, Y(cy))
    p.close()
    c.drawPath(p, stroke=0, fill=1)
    c.setFillColorRGB(*ACCENT)
    c.circle(cx, Y(cy), 3, stroke=0, fill=1)


def laurel(c, cx, cy, side):
    a, b, t0, t1, leaves = 150, 40, math.pi * 0.56, math.pi * 1.30, 11
    c.saveState()
    c.translate(cx, Y(cy))
    c.scale(-side, -1)
    c.setStrokeColorRGB(*ACCENT); c.setFillColorRGB(*ACCENT); c.setLineWidth(1.2)
    p = c.beginPath()
    for i in range(41):
        t = t0 + (t1 - t0) * i / 40
        (p.moveTo if i == 0 else p.lineTo)(a * math.cos(t), b * math.sin(t))
    c.drawPath(p, stroke=1, fill=0)
    for i in range(leaves):
        t = t0 + (t1 - t0) * (i + 0.5) / leaves
        px, py = a * math.cos(t), b * math.sin(t)
        d = math.atan2(b * math.cos(t), -a * math.sin(t)) + math.pi
        size = 1.0 - 0.35 * i / leaves
        for k in (-1, 1):
            c.saveState()
            c.translate(px, py); c.rotate(math.degrees(d + k * 0.62)); c.translate(7.5 * size, 0)
            c.ellipse(-8.5 * size, -2.9 * size, 8.5 * size, 2.9 * size, stroke=0, fill=1)
            c.restoreState()
    c.circle(a * math.cos(t1), b * math.sin(t1), 2.2, stroke=0, fill=1)
    c.restoreState()


def frame(c):
    c.beginForm("frame")
    c.setFillColorRGB(*PAPER)
    c.rect(18, 18, W - 36, H - 36, stroke=0, fill=1)
    c.setStrokeColorRGB(*PRIMARY); c.setLineWidth(2.4)
    c.rect(18, 18, W - 36, H - 36)
    c.setLineWidth(0.7)
    c.rect(22.5, 22.5, W - 45, H - 45)
    c.rect(45, 45, W - 90, H - 90)
    c.setStrokeColorRGB(*ACCENT); c.setLineWidth(0.55)
    mid = 34
    rope(c, mid, mid, 1, 0, W - 2 * mid); rope(c, mid, H - mid, 1, 0, W - 2 * mid)
    rope(c, mid, mid, 0, 1, H - 2 * mid); rope(c, W - mid, mid, 0, 1, H - 2 * mid)
    for x, y in [(mid, mid), (W - mid, mid), (mid, H - mid), (W - mid, H - mid)]:
        rosette(c, x, y)
    c.setFillColorRGB(*ACCENT)
    for s in (-1, 1):
        p = c.beginPath()
        p.moveTo(W / 2 + s * 9, Y(117.2)); p.lineTo(W / 2 + s * 120, Y(118)); p.lineTo(W / 2 + s * 9, Y(118.8))
        p.close(); c.drawPath(p, stroke=0, fill=1)
    laurel(c, W / 2, 318, -1); laurel(c, W / 2, 318, 1)
    p = c.beginPath()
    for i in range(72):
        ang, rr = math.pi * i / 36, (34 - 3.5 if i % 2 else 34)
        (p.moveTo if i == 0 else p.lineTo)(W / 2 + rr * math.cos(ang), Y(502 + rr * math.sin(ang)))
    p.close(); c.drawPath(p, stroke=0, fill=1)
    c.setFillColorRGB(*PRIMARY); c.circle(W / 2, Y(502), 28, stroke=0, fill=1)
    c.setStrokeColorRGB(*ACCENT); c.setLineWidth(0.8); c.circle(W / 2, Y(502), 25, stroke=1, fill=0)
    c.endForm()


def text(c, s, font, size, x, y, w, align="center", space=0):
    """One line fitted in width w (shrunk when too wide), top at y like pango."""
    width = pdfmetrics.stringWidth(s, font, size) + space * len(s)
    if width > w:
        size *= w / width
        width = w
    t = c.beginText()
    t.setFont(font, size)
    t.setCharSpace(space)
    left = x if align == "left" else x + (w - width) / 2 if align == "center" else x + w - width
    t.setTextOrigin(left, Y(y + size * 0.93))
    t.textOut(s)
    c.drawText(t)
    return size * 1.17


def fit_name(c, name, w=680, top=198, box=76):
    size = 50
    width = pdfmetrics.stringWidth(name, "Serif-Bold", size)
    if width <= w:
        return text(c, name, "Serif-Bold", size, (W - w) / 2, top + (box - size * 1.17) / 2, w)
    s1 = max(32, size * w / width)
    if pdfmetrics.stringWidth(name, "Serif-Bold", s1) <= w:
        return text(c, name, "Serif-Bold", s1, (W - w) / 2, top + (box - s1 * 1.17) / 2, w)
    cut = min((i for i, ch in enumerate(name) if ch in "- "), default=None,
              key=lambda i: max(pdfmetrics.stringWidth(name[:i + 1], "Serif-Bold", 50),
                                pdfmetrics.stringWidth(name[i + 1:], "Serif-Bold", 50)))
    if cut is None:
        return text(c, name, "Serif-Bold", 25.6, (W - w) / 2, top, w)
    a, b = name[:cut + (name[cut] == "-")], name[cut + 1:]
    s2 = min(box / 2.34, 50 * w / max(pdfmetrics.stringWidth(a, "Serif-Bold", 50),
                                      pdfmetrics.stringWidth(b, "Serif-Bold", 50)))
    text(c, a, "Serif-Bold", s2, (W - w) / 2, top, w)
    return text(c, b, "Serif-Bold", s2, (W - w) / 2, top + s2 * 1.17, w)


def ribbon(c, label, x, y, w, h=22):
    c.setFillColorRGB(*PRIMARY)
    p = c.beginPath()
    for i, (px, py) in enumerate([(x, y), (x + w, y), (x + w - 7, y + h / 2), (x + w, y + h), (x, y + h),
                                  (x + 7, y + h / 2)]):
        (p.moveTo if i == 0 else p.lineTo)(px, Y(py))
    p.close(); c.drawPath(p, stroke=0, fill=1)
    c.setStrokeColorRGB(*ACCENT); c.setLineWidth(0.6); c.setDash(2.2, 1.6)
    c.line(x + 9, Y(y + 2.5), x + w - 9, Y(y + 2.5)); c.line(x + 9, Y(y + h - 2.5), x + w - 9, Y(y + h - 2.5))
    c.setDash()
    c.setFillColorRGB(1, 1, 1)
    text(c, label, "Sans-Bold", 9.5, x + 17, y + 5, w - 34, space=0.8)


def code_of(sha, town, level, mentions):
    parts = [b"palmares-certificate/1", sha.encode(), town.encode(), str(level).encode()]
    parts += sorted(m.encode() for m in mentions)
    v = int.from_bytes(hashlib.sha256(b"\0".join(parts)).digest()[:8], "big") >> 4
    al = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    s = "".join(al[(v >> (5 * (11 - i))) & 31] for i in range(12))
    return "%s-%s-%s" % (s[:4], s[4:8], s[8:])


def page(c, res, t, style):
    rub = res["rubric"]
    c.doForm("frame")
    c.setFillColorRGB(*PRIMARY)
    text(c, rub["label"]["fr"].upper(), "Sans-Bold", 10.5, (W - 520) / 2, 60, 520, space=2.4)
    c.setFillColorRGB(*ACCENT)
    text(c, "Édition %d" % rub["edition"], "Serif-Italic", 15, (W - 520) / 2, 90, 520, space=0.5)
    c.setFillColorRGB(*PRIMARY)
    text(c, "Diplôme de labellisation", "Serif", 40, (W - 640) / 2, 124, 640, space=0.6)
    c.setFillColorRGB(*INK)
    text(c, "est décerné à", "Serif-Italic", 17, (W - 520) / 2, 174, 520)
    c.setFillColorRGB(*PRIMARY)
    fit_name(c, t["name"])
    c.setFillColorRGB(*ACCENT)
    text(c, t["level_name"], "Serif-Bold", 44, (W - 210) / 2, 318 - 8 - 26, 210, space=2)
    c.setFillColorRGB(*MUTED)
    text(c, "NIVEAU %d SUR %d" % (t["level"], len(rub["levels"])), "Sans", 8.5, (W - 200) / 2, 337, 200, space=1.6)
    labels = ["★  %s  ★" % rub["mentions"][m]["fr"].upper() for m in t["mentions"]]
    widths = [min(290, pdfmetrics.stringWidth(s, "Sans-Bold", 9.5) + 0.8 * len(s)) + 34 for s in labels]
    i, row = 0, 0
    while i < len(labels) and row < 2:
        j, total = i + 1, widths[i]
        while j < len(labels) and total + 12 + widths[j] <= 640:
            total += 12 + widths[j]; j += 1
        x = (W - total) / 2
        for k in range(i, j):
            ribbon(c, labels[k], x, 372 + row * 29, widths[k]); x += widths[k] + 12
        i, row = j, row + 1
    c.setFillColorRGB(*INK)
    y, m, d = (int(v) for v in style["award_date"].split("-"))
    text(c, "Décerné à %s, le %d %s %d" % (style["award_place"], d, MONTHS[m - 1], y), "Serif-Italic", 13.5,
         (W - 560) / 2, 432, 560)
    for k, s in enumerate(style["signatories"]):
        cx = W / 2 - 190 if k == 0 else W / 2 + 190
        c.setStrokeColorRGB(*MUTED); c.setLineWidth(0.6); c.line(cx - 90, Y(502), cx + 90, Y(502))
        c.setFillColorRGB(*INK); text(c, s["name"], "Serif-Bold", 12.5, cx - 100, 505, 200)
        c.setFillColorRGB(*MUTED); text(c, s["title"], "Serif-Italic", 11, cx - 100, 522, 200)
    c.setFillColorRGB(1, 1, 1)
    text(c, str(rub["edition"]), "Serif-Bold", 15, W / 2 - 26, 491, 52)
    c.setFillColorRGB(*ACCENT)
    text(c, "★ ★ ★", "Sans-Bold", 5.5, W / 2 - 20, 510, 40, space=1.2)
    c.setFillColorRGB(*MUTED)
    text(c, "CODE DE VÉRIFICATION", "Sans", 6.5, W - 57 - 200, H - 70, 200, "right", 0.3)
    c.setFillColorRGB(*PRIMARY)
    text(c, code_of(rub["sha256"], t["id"], t["level"], t["mentions"]), "Mono-Bold", 8.5, W - 57 - 100, H - 60, 100,
         "right", 0.6)
    c.showPage()


def main():
    res = json.load(open(sys.argv[1]))
    style = json.load(open(sys.argv[3])) if len(sys.argv) > 3 else {
        "award_date": "2027-02-04", "award_place": "Paris",
        "signatories": [{"name": "Florence Durand", "title": "Présidente du jury"},
                        {"name": "Jean Martin", "title": "Délégué général"}]}
    c = canvas.Canvas(sys.argv[2], pagesize=(W, H), pageCompression=1)
    frame(c)
    for t in res["towns"]:
        if t["status"] == "scored" and (t.get("level") or 0) >= 1:
            page(c, res, t, style)
    c.save()


if __name__ == "__main__":
    main()
