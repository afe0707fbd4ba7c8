package errs

import (
	"errors"
	"fmt"
	"testing"
)

func TestCodesAndPrefix(t *testing.T) {
	if CodeOf(nil) != "" || CodeOf(errors.New("x")) != Internal || CodeOf(fmt.Errorf("ctx: %w", E(NotFound, "gone"))) != NotFound {
		t.Error("CodeOf does not follow the chain")
	}
	err := Prefix(Field("email", "bad"), `organisation "mdt"`)
	if CodeOf(err) != Invalid || FieldOf(err) != "email" || Message(err) != `organisation "mdt": email: bad` {
		t.Errorf("Prefix: got %v (%s, %s)", err, CodeOf(err), FieldOf(err))
	}
	if Message(errors.New("secret detail")) != "internal error" {
		t.Error("an internal error's detail reaches the user")
	}
	if Prefix(nil, "x") != nil {
		t.Error("Prefix(nil) is not nil")
	}
}
