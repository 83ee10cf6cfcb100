#!/usr/bin/env python3
"""The act for the LibreOffice comparison: the text of our act PDF (pdftotext -layout) as a flat
ODT document with the same font, size, page and margins, one paragraph per line, so that
LibreOffice lays out and converts the same content. Usage: bench_fodt.py ACT.txt OUT.fodt"""
import sys
from xml.sax.saxutils import escape

lines = open(sys.argv[1], encoding="utf-8").read().replace("\f", "\n").splitlines()
body = "\n".join(
    f'<text:p text:style-name="P">{escape(l.rstrip()).replace("  ", " <text:s/>")}</text:p>' for l in lines
)
doc = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:font-face-decls>
  <style:font-face style:name="Liberation Serif" svg:font-family="'Liberation Serif'"
   xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/>
 </office:font-face-decls>
 <office:automatic-styles>
  <style:page-layout style:name="A4">
   <style:page-layout-properties fo:page-width="210mm" fo:page-height="297mm"
    fo:margin-left="30mm" fo:margin-right="10mm" fo:margin-top="20mm" fo:margin-bottom="20mm"/>
  </style:page-layout>
  <style:style style:name="P" style:family="paragraph">
   <style:text-properties style:font-name="Liberation Serif" fo:font-size="10pt"/>
  </style:style>
 </office:automatic-styles>
 <office:master-styles><style:master-page style:name="Standard" style:page-layout-name="A4"/></office:master-styles>
 <office:body><office:text>
{body}
 </office:text></office:body>
</office:document>
"""
open(sys.argv[2], "w", encoding="utf-8").write(doc)
