using System.Globalization;
using Marten;
using Marten.Pagination;
using Trunk.CallHistory.CallSummaries;

namespace Trunk.CallHistory.Api;

/// <summary>The filters of <c>GET /calls</c>, parsed and checked; <see cref="Errors"/> names each bad field.</summary>
public sealed record CallQuery(DateTimeOffset? From, DateTimeOffset? To, string? Did, Guid? AccountId, string? Outcome, int Page, int PageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    /// <summary>The page of matching calls, newest first.</summary>
    public async Task<IPagedList<CallSummary>> RunAsync(IQuerySession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        IQueryable<CallSummary> calls = session.Query<CallSummary>();
        if (From is { } start)
        {
            calls = calls.Where(c => c.StartedAt >= start);
        }

        if (To is { } end)
        {
            calls = calls.Where(c => c.StartedAt < end);
        }

        if (Did is { } number)
        {
            calls = calls.Where(c => c.Did == number);
        }

        if (AccountId is { } accountId)
        {
            calls = calls.Where(c => c.AccountId == accountId);
        }

        if (Outcome is { } cause)
        {
            calls = calls.Where(c => c.HangupCause == cause);
        }

        return await calls.OrderByDescending(c => c.StartedAt).ToPagedListAsync(Page, PageSize, cancellationToken).ConfigureAwait(false);
    }

    public static (CallQuery Query, Dictionary<string, string[]> Errors) Parse(
        string? from, string? to, string? did, string? account, string? outcome, string? page, string? pageSize)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var fromTime = QueryTime.Parse(from, "from", errors);
        var toTime = QueryTime.Parse(to, "to", errors);
        if (fromTime is not null && toTime is not null && fromTime > toTime)
        {
            errors["to"] = ["'to' must not be before 'from'."];
        }

        Guid? accountId = null;
        if (!string.IsNullOrEmpty(account))
        {
            if (Guid.TryParse(account, CultureInfo.InvariantCulture, out var parsed))
            {
                accountId = parsed;
            }
            else
            {
                errors["account"] = ["'account' must be an account id (a GUID)."];
            }
        }

        if (did is not null && (did.Length is 0 or > 16 || did.Skip(did.StartsWith('+') ? 1 : 0).Any(c => !char.IsAsciiDigit(c))))
        {
            errors["did"] = ["'did' must be an E.164 number such as +15551230000."];
        }

        if (!string.IsNullOrEmpty(outcome) && HangupCauses.Find(outcome) is null)
        {
            errors["outcome"] = [$"'outcome' must be a hangup cause: {string.Join(", ", HangupCauses.All.Select(c => c.Code))}."];
        }

        var pageNumber = Number(page, "page", 1, 1, int.MaxValue, errors);
        var size = Number(pageSize, "pageSize", DefaultPageSize, 1, MaxPageSize, errors);
        return (new CallQuery(fromTime, toTime, did, accountId, string.IsNullOrEmpty(outcome) ? null : outcome, pageNumber, size), errors);
    }

    private static int Number(string? value, string field, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }

        errors[field] = [$"'{field}' must be a whole number from {min} to {max}."];
        return fallback;
    }
}
