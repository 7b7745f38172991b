using Marten;

namespace Trunk.Policy.Rates;

/// <summary>Finds the rate of a number by its longest matching prefix.</summary>
public static class RateBook
{
    public static Rate? LongestMatch(IEnumerable<Rate> rates, string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        return rates.Where(r => digits.StartsWith(r.Id, StringComparison.Ordinal))
            .OrderByDescending(r => r.Id.Length)
            .FirstOrDefault();
    }

    /// <summary>Every prefix of <paramref name="digits"/>, the ids of the rates that could match it.</summary>
    public static string[] Prefixes(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        return Enumerable.Range(1, digits.Length).Select(length => digits[..length]).ToArray();
    }

    /// <summary>Loads only the candidate prefixes of <paramref name="digits"/> (at most 15 ids) and picks the longest.</summary>
    public static async Task<Rate?> FindAsync(IQuerySession session, string digits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(digits);
        var candidates = await session.LoadManyAsync<Rate>(cancellationToken, Prefixes(digits)).ConfigureAwait(false);
        return LongestMatch(candidates, digits);
    }
}
