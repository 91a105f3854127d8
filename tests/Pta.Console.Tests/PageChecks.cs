using Microsoft.Playwright;

namespace Pta.Console.Tests;

/// <summary>
/// Accessibility basics checked in the page as a browser renders it: every visible form control has a label (or an
/// accessible name), every visible button and link has text, visible text meets WCAG AA contrast against the
/// background actually behind it (4.5:1, 3:1 for large text), and nothing is wider than the viewport (no sideways
/// scrolling on a 360 px phone).
/// </summary>
public static class PageChecks
{
    private const string Script = """
        () => {
          const problems = [];
          const visible = (e) => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
            return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
          const name = (e) => e.getAttribute('aria-label') || (e.getAttribute('aria-labelledby') || '').split(' ')
            .map((id) => (document.getElementById(id) || {}).textContent || '').join('').trim();
          for (const e of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
            if (visible(e) && !(e.labels && e.labels.length) && !name(e)) problems.push('no label: ' + e.outerHTML.slice(0, 80));
          }
          for (const e of document.querySelectorAll('button, a[href]')) {
            if (visible(e) && !e.textContent.trim() && !name(e)) problems.push('no text: ' + e.outerHTML.slice(0, 80));
          }
          const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
          const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
            return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
          const background = (e) => { for (let n = e; n; n = n.parentElement) { const c = rgb(getComputedStyle(n).backgroundColor);
            if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) return c; } return [255, 255, 255]; };
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          const seen = new Set();
          for (let t = walker.nextNode(); t; t = walker.nextNode()) {
            const e = t.parentElement;
            if (!t.textContent.trim() || !e || seen.has(e) || !visible(e) || e.closest('svg, noscript, [hidden]')) continue;
            seen.add(e);
            const s = getComputedStyle(e);
            const fg = rgb(s.color), bg = background(e);
            const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
            const ratio = (l1 + 0.05) / (l2 + 0.05);
            const size = parseFloat(s.fontSize), bold = Number(s.fontWeight) >= 700;
            const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
            if (ratio < needed) problems.push(`contrast ${ratio.toFixed(2)} < ${needed}: "${t.textContent.trim().slice(0, 30)}"`);
          }
          if (document.documentElement.scrollWidth > window.innerWidth + 1)
            problems.push(`wider than the viewport: ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
          return problems;
        }
        """;

    /// <summary>Fails with every problem found on the page as it is now.</summary>
    public static async Task AssertAccessibleAsync(IPage page, string step)
    {
        ArgumentNullException.ThrowIfNull(page);
        var problems = await page.EvaluateAsync<string[]>(Script);
        Assert.True(problems.Length == 0, $"{step}: {string.Join("; ", problems)}");
    }

    /// <summary>The page's layout width against the viewport's (360 px phones must not scroll sideways).</summary>
    public static Task<int> ScrollWidthAsync(IPage page) =>
        page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
}
