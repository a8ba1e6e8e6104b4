using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Collections.Specialized;
using System.Linq.Expressions;
using System.Management.Automation;
using System.Reflection;

namespace AutoencoderPS.Adapters
{
    /// <summary>
    /// Every use of PowerShell's non-public members, in one place. The pipeline path reads a row's own members and
    /// sets its type names through them because PowerShell's public routes cost more per row than the row's scoring
    /// (see .docs/performance.md). Each accessor is built once, checked against the shape it expects, and is null where
    /// this PowerShell lacks that shape; callers then take the public route, which gives the same results.
    /// <para>
    /// Setting the environment variable <c>AUTOENCODERPS_PUBLIC_API_ONLY=1</c> before the module loads turns all of
    /// them off: a way out should a PowerShell version change them, and how the tests run the public route.
    /// </para>
    /// </summary>
    public static class PowerShellInternals
    {
        /// <summary>The environment variable that turns the non-public accessors off.</summary>
        public const string DisableVariable = "AUTOENCODERPS_PUBLIC_API_ONLY";

        private static readonly bool Disabled = Environment.GetEnvironmentVariable(DisableVariable) is "1" or "true" or "True";

        /// <summary>True when at least one non-public accessor is in use in this process.</summary>
        public static bool InUse => InstanceMembers != null || MemberTable != null || TypeNames != null;

        /// <summary>A row's own (instance) members: where Import-Csv and [pscustomobject] keep their values.</summary>
        internal static readonly Func<PSObject, PSMemberInfoCollection<PSMemberInfo>?>? InstanceMembers = Disabled ? null : CreateInstanceMembers();

        /// <summary>The ordered name-to-member table behind a row's own members.</summary>
        internal static readonly Func<PSObject, OrderedDictionary?>? MemberTable = Disabled ? null : CreateMemberTable();

        /// <summary>A row's type-name list as PSObject keeps it (a shared read-only list, copied by PSObject.TypeNames).</summary>
        internal static readonly TypeNameAccessors? TypeNames = Disabled ? null : TypeNameAccessors.Create();

        private static Func<PSObject, PSMemberInfoCollection<PSMemberInfo>?>? CreateInstanceMembers()
        {
            try
            {
                var property = typeof(PSObject).GetProperty("InstanceMembers", BindingFlags.Instance | BindingFlags.NonPublic);
                var getter = property?.GetGetMethod(nonPublic: true);
                if (getter == null || !typeof(PSMemberInfoCollection<PSMemberInfo>).IsAssignableFrom(getter.ReturnType)) return null;
                var row = Expression.Parameter(typeof(PSObject), "row");
                var body = Expression.Convert(Expression.Call(row, getter), typeof(PSMemberInfoCollection<PSMemberInfo>));
                return Expression.Lambda<Func<PSObject, PSMemberInfoCollection<PSMemberInfo>?>>(body, row).Compile();
            }
            catch (Exception e) when (IsReflectionFailure(e))
            {
                return null;
            }
        }

        private static Func<PSObject, OrderedDictionary?>? CreateMemberTable()
        {
            try
            {
                var instanceMembers = typeof(PSObject).GetProperty("InstanceMembers", BindingFlags.Instance | BindingFlags.NonPublic);
                var collection = instanceMembers?.PropertyType;
                var table = collection?.GetProperty("Members", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);
                if (instanceMembers?.GetGetMethod(nonPublic: true) == null || table?.GetGetMethod(nonPublic: true) == null ||
                    table.PropertyType != typeof(OrderedDictionary)) return null;
                var row = Expression.Parameter(typeof(PSObject), "row");
                return Expression.Lambda<Func<PSObject, OrderedDictionary?>>(
                    Expression.Property(Expression.Property(row, instanceMembers), table), row).Compile();
            }
            catch (Exception e) when (IsReflectionFailure(e))
            {
                return null;
            }
        }

        private static bool IsReflectionFailure(Exception e) =>
            e is AmbiguousMatchException || e is InvalidOperationException || e is ArgumentException || e is MemberAccessException;

        /// <summary>PSObject's non-public type-name members (InternalTypeNames, ConsolidatedString).</summary>
        internal sealed class TypeNameAccessors
        {
            public Func<PSObject, Collection<string>> Get = null!;
            public Action<PSObject, Collection<string>> Set = null!;
            public Func<Collection<string>, bool> IsReadOnly = null!;
            public Func<IEnumerable<string>, Collection<string>> NewReadOnly = null!;

            public static TypeNameAccessors? Create()
            {
                try
                {
                    var property = typeof(PSObject).GetProperty("InternalTypeNames", BindingFlags.Instance | BindingFlags.NonPublic);
                    var type = typeof(PSObject).Assembly.GetType("System.Management.Automation.Runspaces.ConsolidatedString");
                    if (property == null || type == null || property.PropertyType != type || !typeof(Collection<string>).IsAssignableFrom(type)) return null;
                    var getter = property.GetGetMethod(nonPublic: true);
                    var setter = property.GetSetMethod(nonPublic: true);
                    var readOnly = type.GetProperty("IsReadOnly", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
                    var constructor = type.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null,
                        new[] { typeof(IEnumerable<string>), typeof(bool) }, null);
                    if (getter == null || setter == null || readOnly == null || readOnly.PropertyType != typeof(bool) || constructor == null) return null;
                    var row = Expression.Parameter(typeof(PSObject), "row");
                    var names = Expression.Parameter(typeof(Collection<string>), "names");
                    var strings = Expression.Parameter(typeof(IEnumerable<string>), "strings");
                    var access = new TypeNameAccessors
                    {
                        Get = Expression.Lambda<Func<PSObject, Collection<string>>>(
                            Expression.Convert(Expression.Call(row, getter), typeof(Collection<string>)), row).Compile(),
                        Set = Expression.Lambda<Action<PSObject, Collection<string>>>(
                            Expression.Call(row, setter, Expression.Convert(names, type)), row, names).Compile(),
                        IsReadOnly = Expression.Lambda<Func<Collection<string>, bool>>(
                            Expression.Property(Expression.Convert(names, type), readOnly), names).Compile(),
                        NewReadOnly = Expression.Lambda<Func<IEnumerable<string>, Collection<string>>>(
                            Expression.Convert(Expression.New(constructor, strings, Expression.Constant(true)), typeof(Collection<string>)), strings).Compile(),
                    };
                    // The shared list must come out read-only (so that PSObject.TypeNames copies it before a change).
                    return access.IsReadOnly(access.NewReadOnly(new[] { "probe" })) ? access : null;
                }
                catch (Exception e) when (IsReflectionFailure(e))
                {
                    return null;
                }
            }
        }
    }
}
