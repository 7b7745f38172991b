using JasperFx;
using JasperFx.Events;
using Npgsql;

namespace Trunk.Policy.Api;

/// <summary>Exceptions that mean "someone else wrote first": a stale version, an existing id, a taken unique value.</summary>
public static class Conflicts
{
    public static bool IsConflict(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is ConcurrencyException or DocumentAlreadyExistsException or ExistingStreamIdCollisionException
                or Marten.Exceptions.ExistingStreamIdCollisionException
                or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                return true;
            }
        }

        return false;
    }
}
