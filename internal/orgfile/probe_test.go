package orgfile
import ("testing";"go.yaml.in/yaml/v3";"fmt")
func TestProbe(t *testing.T){
 for _, s := range []string{
  "organisations:\n  - short_name: a\n    name: [A\n",
  "organisations:\n  - short_name: a\n    name: [A\n\n\n",
  "organisations:\n  - short_name: a\n    name: [A, B\n    x: 1\n",
  "v:\n- [A,",
  "a: 1\nb: 2\nc 2\nd: 3\n",
  "a: 1\nb: 2\n  c: 3\n",
  "a: 1\nb: \"x\n",
  "a: 1\nb: 'x\n\n",
  "a: 1\n- b\n",
  "[a\n",
  "a: b: c\n",
  "a: 1\nb: &\n",
  "a: 1\nb: *\n",
  "a: 1\nb: !<\n",
  "a: {b: 1\nc: 2\n",
  "a:\n  - b\n  c: d\n",
  "x: \"\\q\"\n",
 } {
  var n yaml.Node
  err := yaml.Unmarshal([]byte(s), &n)
  fmt.Printf("%q\n   -> %v\n", s, err)
 }
}
