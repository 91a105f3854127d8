using System.Text;

namespace Pta.Gateway.Roster;

/// <summary>
/// A small RFC 4180 reader for class lists: comma-separated, fields optionally in double quotes with "" for a
/// quote, CRLF or LF line ends, a UTF-8 BOM skipped. Streams record by record so a city-wide list never sits
/// in memory as text. A quoted field may span lines; an unterminated quote is an error, not a silent cut.
/// </summary>
public sealed class CsvReader(TextReader reader)
{
    /// <summary>The 1-based line the last record started on, for error messages.</summary>
    public int Line { get; private set; }

    private int _nextLine = 1;

    /// <summary>The next record, or null at the end.</summary>
    /// <exception cref="FormatException">An unterminated quoted field.</exception>
    public List<string>? Read()
    {
        var c = reader.Read();
        if (c == -1)
        {
            return null;
        }

        Line = _nextLine;
        if (Line == 1 && c == '\uFEFF')
        {
            c = reader.Read();
        }

        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        while (true)
        {
            if (quoted)
            {
                if (c == -1)
                {
                    throw new FormatException($"Line {Line}: a quoted field is not closed.");
                }

                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        _nextLine++;
                    }

                    field.Append((char)c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\n' or -1)
            {
                _nextLine++;
                fields.Add(field.ToString().TrimEnd('\r'));
                return fields;
            }
            else
            {
                field.Append((char)c);
            }

            c = reader.Read();
        }
    }
}
