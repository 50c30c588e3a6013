package disk

// ImageInfo is what `qemu-img info` reports, with the JSON field names of
// `qemu-img info --output=json` (QEMU's qapi ImageInfo).
type ImageInfo struct {
	Snapshots             []SnapshotInfo  `json:"snapshots,omitempty"`
	BackingFilenameFormat string          `json:"backing-filename-format,omitempty"`
	VirtualSize           int64           `json:"virtual-size"`
	Filename              string          `json:"filename"`
	ClusterSize           int64           `json:"cluster-size,omitempty"`
	Format                string          `json:"format"`
	ActualSize            int64           `json:"actual-size"`
	FormatSpecific        *FormatSpecific `json:"format-specific,omitempty"`
	FullBackingFilename   string          `json:"full-backing-filename,omitempty"`
	BackingFilename       string          `json:"backing-filename,omitempty"`
	DirtyFlag             bool            `json:"dirty-flag"`
}

// SnapshotInfo is one internal snapshot (QEMU's SnapshotInfo).
type SnapshotInfo struct {
	ICount      *int64 `json:"icount,omitempty"`
	VMClockNsec int64  `json:"vm-clock-nsec"`
	Name        string `json:"name"`
	DateSec     int64  `json:"date-sec"`
	DateNsec    int64  `json:"date-nsec"`
	VMClockSec  int64  `json:"vm-clock-sec"`
	ID          string `json:"id"`
	VMStateSize int64  `json:"vm-state-size"`
}

// FormatSpecific is QEMU's ImageInfoSpecific: {"type": "qcow2", "data": ...}.
type FormatSpecific struct {
	Type string             `json:"type"`
	Data *Qcow2SpecificInfo `json:"data"`
}

// Qcow2SpecificInfo is QEMU's ImageInfoSpecificQCow2. Version 2 images
// report only compat, compression type and refcount bits, as QEMU does.
type Qcow2SpecificInfo struct {
	Compat          string `json:"compat"`
	CompressionType string `json:"compression-type"`
	LazyRefcounts   *bool  `json:"lazy-refcounts,omitempty"`
	RefcountBits    int    `json:"refcount-bits"`
	Corrupt         *bool  `json:"corrupt,omitempty"`
	ExtendedL2      *bool  `json:"extended-l2,omitempty"`
}

// InfoOptions say how Info opens the image.
type InfoOptions struct {
	// Format is "raw", "qcow2" or "" to probe.
	Format string
	// NoLock is qemu-img's -U (force share): inspect an image that a
	// writer holds.
	NoLock bool
}

// Info describes the image at path without opening its backing file.
func Info(path string, o InfoOptions) (*ImageInfo, error) {
	f, err := openHostFile(path, true, cacheMode{mode: CacheWriteback})
	if err != nil {
		return nil, err
	}
	defer f.close()
	format := o.Format
	if format == "" {
		if format, err = probe(f); err != nil {
			return nil, err
		}
	}
	if format != FormatRaw && format != FormatQcow2 {
		return nil, errorf(ErrUnsupported, "%s: unknown image format %q (want raw or qcow2)", path, format)
	}
	// QEMU locks what it reads: qcow2 metadata needs the file
	// unchanging, a raw image's size does not (qemu-img info takes no
	// lock on raw images).
	if !o.NoLock && format == FormatQcow2 {
		if err := f.lockAs(format); err != nil {
			return nil, err
		}
	}
	size, err := f.size()
	if err != nil {
		return nil, err
	}
	info := &ImageInfo{Filename: path, Format: format, ActualSize: f.allocatedBytes()}
	if format == FormatRaw {
		info.VirtualSize = size
		return info, nil
	}
	q, err := loadQcow2(f)
	if err != nil {
		return nil, err
	}
	h := q.hdr
	info.VirtualSize = q.Size()
	info.ClusterSize = q.cs
	info.DirtyFlag = h.incompatible&incompatDirty != 0
	if h.backingFile != "" {
		info.BackingFilename = h.backingFile
		info.FullBackingFilename = resolveBacking(path, h.backingFile)
		info.BackingFilenameFormat = h.backingFormat
	}
	spec := &Qcow2SpecificInfo{Compat: "0.10", CompressionType: "zlib", RefcountBits: 1 << h.refcountOrder}
	if h.version >= 3 {
		f := false
		lazy := h.compatible&compatLazyRefcounts != 0
		corrupt := h.incompatible&incompatCorrupt != 0
		spec.Compat = "1.1"
		spec.LazyRefcounts = &lazy
		spec.Corrupt = &corrupt
		spec.ExtendedL2 = &f
	}
	info.FormatSpecific = &FormatSpecific{Type: FormatQcow2, Data: spec}
	snaps, _, err := readSnapshots(path, f, h, size)
	if err != nil {
		return nil, err
	}
	for _, s := range snaps {
		si := SnapshotInfo{
			VMClockNsec: int64(s.vmClockNsec % 1e9),
			VMClockSec:  int64(s.vmClockNsec / 1e9),
			Name:        s.name,
			DateSec:     int64(s.dateSec),
			DateNsec:    int64(s.dateNsec),
			ID:          s.id,
			VMStateSize: int64(s.vmStateSize),
		}
		if s.icount != -1 {
			ic := s.icount
			si.ICount = &ic
		}
		info.Snapshots = append(info.Snapshots, si)
	}
	return info, nil
}

// InfoChain describes the image at path and, after it, each image of its
// backing chain (qemu-img info --backing-chain).
func InfoChain(path string, o InfoOptions) ([]*ImageInfo, error) {
	var chain []*ImageInfo
	var seen []fileID
	for path != "" {
		if len(chain) >= maxChainDepth {
			return nil, errorf(ErrBackingLoop, "%s: backing chain deeper than %d images", path, maxChainDepth)
		}
		f, err := openHostFile(path, true, cacheMode{})
		if err != nil {
			if isNotExist(err) && len(chain) > 0 {
				return nil, errorf(ErrNoBacking, "%s: backing file %s not found", chain[len(chain)-1].Filename, path)
			}
			return nil, err
		}
		id := f.id()
		f.close()
		for _, s := range seen {
			if s == id && id != (fileID{}) {
				return nil, errorf(ErrBackingLoop, "%s: backing file chain has a loop", path)
			}
		}
		seen = append(seen, id)
		info, err := Info(path, o)
		if err != nil {
			return nil, err
		}
		chain = append(chain, info)
		path = info.FullBackingFilename
		o.Format = info.BackingFilenameFormat
	}
	return chain, nil
}
