package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
)

// cliActor is who the audit log names for command-line changes.
var cliActor = auth.CLI

func (a *app) userCommand() *cobra.Command {
	c := &cobra.Command{Use: "user", Short: "Manage users and their API tokens"}
	c.AddCommand(a.userAddCommand(), a.userListCommand(), a.userPasswdCommand(), a.userTokenCommand())
	return c
}

// readPassword reads one password from standard input (the first line).
func (a *app) readPassword() (string, error) {
	line, err := bufio.NewReader(io.LimitReader(a.stdin, auth.MaxPasswordLen+2)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if err := auth.CheckPasswordPolicy(pw); err != nil {
		return "", err
	}
	return pw, nil
}

func (a *app) userAddCommand() *cobra.Command {
	var role, display, email, lang string
	var orgs []string
	var pwStdin bool
	c := &cobra.Command{
		Use:   "add NAME --role ROLE [--org SHORTNAME] --password-stdin",
		Short: "Create a user",
		Long: "Create a user. Roles: admin, analyst (CERT staff), agency (bound to --org: sees only\n" +
			"that organisation), partner (partner CERT: TLP-limited), auditor (read-only).\n" +
			"The password is read from standard input: echo \"$PW\" | qalxan user add ... --password-stdin.\n" +
			"Without --password-stdin the user can only use API tokens.",
		Example: "  printf '%s\\n' \"$PW\" | qalxan user add aysel --role agency --org mdt --password-stdin",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, _, err := a.openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			u := &auth.User{Name: args[0], Role: auth.Role(role), OrgNames: orgs, DisplayName: display, Email: email, Language: lang}
			if pwStdin {
				pw, err := a.readPassword()
				if err != nil {
					return err
				}
				if u.PasswordHash, err = auth.HashPassword(pw); err != nil {
					return err
				}
			}
			if err := s.CreateUser(cmd.Context(), cliActor, u); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "created user %s (%s)\n", u.Name, u.Role)
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&role, "role", "", "admin, analyst, agency, partner or auditor (required)")
	f.StringSliceVar(&orgs, "org", nil, "organisation short name of an agency user (repeatable)")
	f.BoolVar(&pwStdin, "password-stdin", false, "read the password from standard input")
	f.StringVar(&display, "display-name", "", "full name")
	f.StringVar(&email, "email", "", "e-mail address")
	f.StringVar(&lang, "language", "az", "interface language: az, en or ru")
	c.MarkFlagRequired("role")
	return c
}

func (a *app) userListCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "list",
		Short: "List users",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, _, err := a.openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			users, err := s.ListUsers(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				for _, u := range users {
					if err := enc.Encode(u); err != nil {
						return err
					}
				}
				return nil
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tROLE\tORGS\tDISABLED\tLAST LOGIN")
			for _, u := range users {
				last := "-"
				if !u.LastLoginAt.IsZero() {
					last = u.LastLoginAt.Format(time.RFC3339)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t%s\n", u.Name, u.Role, dash(strings.Join(u.OrgNames, ",")), u.Disabled, last)
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "one JSON object per user")
	return c
}

func (a *app) userPasswdCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "passwd NAME",
		Short: "Set a user's password (read from standard input); ends their sessions",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, _, err := a.openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			u, err := s.GetUserByName(cmd.Context(), strings.ToLower(args[0]))
			if err != nil {
				return err
			}
			pw, err := a.readPassword()
			if err != nil {
				return err
			}
			hash, err := auth.HashPassword(pw)
			if err != nil {
				return err
			}
			if err := s.SetPassword(cmd.Context(), cliActor, u.ID, hash); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "password of %s changed\n", u.Name)
			return nil
		},
	}
}

func (a *app) userTokenCommand() *cobra.Command {
	var name string
	var days int
	c := &cobra.Command{
		Use:   "token NAME",
		Short: "Issue an API token for a user and print it (it is shown only once)",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if days < 1 || days > 366 {
				return usageError{errs.E(errs.Invalid, "--expires-days must be between 1 and 366")}
			}
			s, _, err := a.openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			u, err := s.GetUserByName(cmd.Context(), strings.ToLower(args[0]))
			if err != nil {
				return err
			}
			secret, t, err := s.CreateToken(cmd.Context(), cliActor, u.ID, name, time.Duration(days)*24*time.Hour)
			if err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, secret)
			fmt.Fprintf(a.stderr, "token %d for %s expires %s; store it now, it cannot be shown again\n", t.ID, u.Name, t.ExpiresAt.Format(time.RFC3339))
			return nil
		},
	}
	c.Flags().StringVar(&name, "name", "cli", "what the token is for")
	c.Flags().IntVar(&days, "expires-days", 90, "lifetime in days (at most 366)")
	return c
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
