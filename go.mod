module mimic

go 1.26.0

require (
	github.com/google/go-cmp v0.7.0
	github.com/spf13/pflag v1.0.10
	github.com/veandco/go-sdl2 v0.4.39
	golang.org/x/arch v0.32.0
	golang.org/x/sys v0.49.0
	gvisor.dev/gvisor v0.0.0-20240916094835-a174eb65023f
)

require (
	github.com/google/btree v1.1.2 // indirect
	golang.org/x/time v0.5.0 // indirect
)
