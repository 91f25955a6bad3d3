from comms.csvutils import csv_escape, csv_render, csv_unescape


def test_cells_a_spreadsheet_would_run_are_escaped_and_unescaped():
    for cell in ["=SUM(A1)", "+1", "-5", "@cmd", "\tx", "\rx"]:
        escaped = csv_escape(cell)
        assert escaped == "'" + cell
        assert csv_unescape(escaped) == cell
    assert csv_escape("plain") == "plain"
    assert csv_escape(None) == ""
    assert csv_unescape("'quoted") == "'quoted"


def test_render_escapes_every_cell():
    text = csv_render(["a", "b"], [["=1+1", "ok"]])
    assert text == "a,b\r\n'=1+1,ok\r\n"
